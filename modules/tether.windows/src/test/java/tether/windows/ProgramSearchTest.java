package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tether.api.SpawnException;

/** PATH x PATHEXT from COMMAND's directory, the rules ProgramSearch's comment gives. */
class ProgramSearchTest {

    static final String WORK = "C:\\work";
    static final List<String> ENVIRONMENT = List.of("Path=C:\\Program Files\\nodejs;C:\\Windows\\system32",
            "PATHEXT=.COM;.EXE;.BAT;.CMD");

    final FakeKernel32 kernel32 = new FakeKernel32();

    ProgramSearchTest() {
        kernel32.directory("C:\\Program Files");
        kernel32.directory("C:\\Program Files\\nodejs");
        kernel32.file("C:\\Program Files\\nodejs\\node.exe");
        kernel32.file("C:\\Program Files\\nodejs\\npm");
        kernel32.file("C:\\Program Files\\nodejs\\npm.cmd");
    }

    String find(String name) throws SpawnException {
        return find(name, ENVIRONMENT);
    }

    String find(String name, List<String> environment) throws SpawnException {
        return new ProgramSearch(kernel32).find(name, WORK, environment);
    }

    /** Node.js installs a shell script "npm" beside npm.cmd: without an extension only PATHEXT's are tried. */
    @Test
    void npmIsTheBatchFileNotTheShellScriptBesideIt() throws Exception {
        assertEquals("C:\\Program Files\\nodejs\\npm.CMD", find("npm"));
        assertTrue(ProgramSearch.isBatch(find("npm")));
    }

    @Test
    void pathIsSearchedInOrderWithPathextInOrder() throws Exception {
        kernel32.file("C:\\Windows\\system32\\node.exe");
        kernel32.file("C:\\Program Files\\nodejs\\node.com");
        assertEquals("C:\\Program Files\\nodejs\\node.COM", find("node"));
        assertEquals("C:\\Program Files\\nodejs\\node.exe", find("node.exe"));
        assertEquals("C:\\Windows\\system32\\CMD.EXE", find("CMD"));
    }

    /** The current directory is not searched: a server.cmd checked into the worktree needs ".\". */
    @Test
    void theCurrentDirectoryIsNotSearchedButANamedPathIs() throws Exception {
        kernel32.file(WORK + "\\npm.cmd");
        assertEquals("C:\\Program Files\\nodejs\\npm.CMD", find("npm"));
        assertEquals(WORK + "\\.\\npm.CMD", find(".\\npm"));
    }

    /** -C DIR: a relative program is taken from DIR, as on Unix; tether's own directory plays no part. */
    @Test
    void aRelativeProgramIsTakenFromCommandsDirectory() throws Exception {
        kernel32.directory("C:\\work\\web");
        kernel32.file("C:\\work\\web\\node_modules\\.bin\\vite.cmd");
        assertEquals("C:\\work\\web\\node_modules/.bin/vite.CMD",
                new ProgramSearch(kernel32).find("node_modules/.bin/vite", "C:\\work\\web", ENVIRONMENT));
    }

    @Test
    void absoluteRootedAndUncPathsAreTakenAsWritten() {
        assertEquals("D:\\x\\y", ProgramSearch.resolve(WORK, "D:\\x\\y"));
        assertEquals("C:\\tools\\x", ProgramSearch.resolve(WORK, "\\tools\\x"));
        assertEquals("\\\\srv\\share\\tools\\x", ProgramSearch.resolve("\\\\srv\\share\\work", "\\tools\\x"));
        assertEquals("\\\\srv\\share\\x", ProgramSearch.resolve(WORK, "\\\\srv\\share\\x"));
        assertEquals("D:x", ProgramSearch.resolve(WORK, "D:x"));
        assertEquals("C:\\work\\bin\\x", ProgramSearch.resolve(WORK, "bin\\x"));
        assertEquals("C:\\x", ProgramSearch.resolve("C:\\", "x"));
    }

    @Test
    void aNameWithAnExtensionIsTriedAsWrittenThenWithPathext() {
        List<String> extensions = List.of(".EXE", ".CMD");
        assertEquals(List.of("x\\python3.12", "x\\python3.12.EXE", "x\\python3.12.CMD"),
                ProgramSearch.candidates("x\\python3.12", extensions));
        assertEquals(List.of("x\\npm.EXE", "x\\npm.CMD"), ProgramSearch.candidates("x\\npm", extensions));
        assertFalse(ProgramSearch.hasExtension("C:\\x\\.bin"));
        assertFalse(ProgramSearch.hasExtension("C:\\x.d\\npm"));
        assertFalse(ProgramSearch.hasExtension("npm."));
    }

    /** cmd.exe's PATH syntax: quotes removed, empty entries skipped; PATHEXT defaults to cmd.exe's. */
    @Test
    void pathAndPathextAreReadAsCmdReadsThem() throws Exception {
        assertEquals(List.of("C:\\Program Files\\nodejs", "C:\\bin"),
                ProgramSearch.pathEntries("\"C:\\Program Files\\nodejs\";;C:\\bin;"));
        assertEquals(List.of(".COM", ".EXE", ".BAT", ".CMD"), ProgramSearch.extensions(null));
        assertEquals(List.of(".EXE"), ProgramSearch.extensions(".EXE;;exe"));
        assertEquals("C:\\Program Files\\nodejs\\npm.CMD",
                find("npm", List.of("PATH=\"C:\\Program Files\\nodejs\"")));
    }

    /** Windows' variable names are case-insensitive: Path is PATH. */
    @Test
    void variablesAreFoundWhateverTheirCase() {
        assertEquals("x", ProgramSearch.variable(List.of("=C:=C:\\", "Path=x"), "PATH"));
        assertEquals(null, ProgramSearch.variable(List.of("PATHEXT=.EXE"), "PATH"));
    }

    @Test
    void aMissingProgramOrADirectoryIs127() {
        kernel32.directory("C:\\Program Files\\nodejs\\tools.exe");
        SpawnException e = assertThrows(SpawnException.class, () -> find("tools"));
        assertEquals(SpawnException.Reason.NOT_FOUND, e.reason());
        assertEquals("cannot run 'tools': No such file or directory", e.getMessage());
        assertThrows(SpawnException.class, () -> find("npm", List.of()));
        assertThrows(SpawnException.class, () -> find(""));
    }
}
