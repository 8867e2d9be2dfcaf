package tether.build;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds every row of jlink/src/build/JvmOptions.java to what HotSpot accepts on that row's platform, so that
 * an option no one here can run on macOS, aarch64 or Windows cannot silently stop the image's JVM from
 * starting there.
 *
 * <p>The facts are HotSpot's, JDK 25, each cited by its path under {@code src/hotspot} of the JDK sources:
 * the range of every numeric option per platform, where an option is supported at all, and how large a Java
 * thread's stack must be. They are checked three ways: every value of every row lies in its cited range for
 * every page size its platform has; the ranges cited for the platform this test runs on equal what this
 * machine's own JVM prints ({@code -XX:+PrintFlagsRanges}), so a wrong citation fails where it can be seen;
 * and this machine's JVM starts with its row's options without a warning.
 */
class JvmOptionsTest {

    static final long K = 1024;
    static final long M = K * K;
    static final long SIZE_MAX = -1L; // 2^64 - 1, read unsigned

    /** An inclusive range, its bounds unsigned. */
    record Limits(long min, long max) {
        boolean holds(long value) {
            return Long.compareUnsigned(value, min) >= 0 && Long.compareUnsigned(value, max) <= 0;
        }

        @Override
        public String toString() {
            return "[" + Long.toUnsignedString(min) + ", " + Long.toUnsignedString(max) + "]";
        }
    }

    /** What HotSpot accepts for a numeric option on a platform with a given page size, and where it says so. */
    record Numeric(String source, Map<String, Limits> perPlatform, boolean lowestIsThePageSize) {
        Limits on(String platform, long pageSize) {
            Limits limits = perPlatform.get(platform);
            if (limits == null) {
                return null;
            }
            return lowestIsThePageSize ? new Limits(pageSize, limits.max()) : limits;
        }
    }

    static Numeric everywhere(long min, long max, String source) {
        Map<String, Limits> all = new LinkedHashMap<>();
        for (String platform : List.of("linux-x64", "linux-aarch64", "macos-x64", "macos-aarch64", "windows-x64",
                "windows-aarch64")) {
            all.put(platform, new Limits(min, max));
        }
        return new Numeric(source, all, false);
    }

    /**
     * Every platform's page sizes: HotSpot counts stack zones in 4 KB units rounded up to its page
     * (runtime/stackOverflow.cpp, initialize_stack_zone_sizes), and some limits are the page size itself.
     * x86_64 has 4 KB pages; an aarch64 Linux kernel is built with 4, 16 or 64 KB (arch/arm64/Kconfig,
     * ARM64_*K_PAGES); Apple silicon runs user code on 16 KB pages; Windows gives 4 KB (GetSystemInfo).
     */
    static final Map<String, List<Long>> PAGE_SIZES = Map.of(
            "linux-x64", List.of(4 * K),
            "linux-aarch64", List.of(4 * K, 16 * K, 64 * K),
            "macos-x64", List.of(4 * K),
            "macos-aarch64", List.of(16 * K),
            "windows-x64", List.of(4 * K),
            "windows-aarch64", List.of(4 * K));

    /**
     * StackShadowPages: range(MIN_STACK_SHADOW_PAGES, DEFAULT_STACK_SHADOW_PAGES + 30) in runtime/globals.hpp,
     * with the bounds per CPU: cpu/x86/globals_x86.hpp gives 64-bit x86 a default of 20 and a minimum of 10,
     * but 8 and 8 on Windows (WIN64_ONLY); cpu/aarch64/globals_aarch64.hpp a default and minimum of 20 on every
     * OS. No os_cpu header overrides them.
     */
    static final Numeric STACK_SHADOW_PAGES = new Numeric(
            "runtime/globals.hpp, cpu/x86/globals_x86.hpp, cpu/aarch64/globals_aarch64.hpp",
            Map.of("linux-x64", new Limits(10, 50), "macos-x64", new Limits(10, 50),
                    "windows-x64", new Limits(8, 38),
                    "linux-aarch64", new Limits(20, 50), "macos-aarch64", new Limits(20, 50),
                    "windows-aarch64", new Limits(20, 50)),
            false);

    /** Every numeric option a row may hold, by HotSpot's name for it. */
    static final Map<String, Numeric> NUMERIC = Map.ofEntries(
            Map.entry("TieredStopAtLevel", everywhere(0, 4, "compiler/compiler_globals.hpp")),
            Map.entry("MaxHeapSize", everywhere(0, SIZE_MAX, "gc/shared/gc_globals.hpp (size_t, no range)")),
            Map.entry("CompressedClassSpaceSize", everywhere(M, 4 * K * M, "runtime/globals.hpp, range(1*M, 4*G)")),
            Map.entry("ReservedCodeCacheSize", new Numeric(
                    "runtime/globals.hpp, VMPageSizeConstraintFunc (runtime/flags/jvmFlagConstraintsRuntime.cpp)",
                    everywhere(0, SIZE_MAX, "").perPlatform(), true)),
            Map.entry("ThreadStackSize", everywhere(0, M, "runtime/globals.hpp, range(0, 1 * M), in KB")),
            Map.entry("StackShadowPages", STACK_SHADOW_PAGES),
            Map.entry("TrimNativeHeapInterval", everywhere(0, 4294967295L, "runtime/globals.hpp (uint, no range)")),
            Map.entry("ArchiveRelocationMode", everywhere(0, 2, "cds/cds_globals.hpp")),
            Map.entry("StringTableSize", everywhere(128, 16 * M,
                    "runtime/globals.hpp, minimumStringTableSize and maximumStringTableSize")),
            Map.entry("SymbolTableSize", everywhere(1024, 16 * M,
                    "runtime/globals.hpp, minimumSymbolTableSize and maximumSymbolTableSize")),
            Map.entry("AsyncDeflationInterval", everywhere(0, Integer.MAX_VALUE,
                    "runtime/globals.hpp, range(0, max_jint)")));

    /** Boolean and text options declared in HotSpot's shared code, so accepted on every platform. */
    static final Map<String, String> SHARED = Map.ofEntries(
            Map.entry("DisplayVMOutputToStderr", "runtime/globals.hpp"),
            Map.entry("UseSerialGC", "gc/shared/gc_globals.hpp"),
            Map.entry("UsePerfData", "runtime/globals.hpp"),
            Map.entry("CreateCoredumpOnCrash", "runtime/globals.hpp"),
            Map.entry("DisableAttachMechanism", "runtime/globals.hpp"),
            Map.entry("UnlockDiagnosticVMOptions", "runtime/globals.hpp"),
            Map.entry("UnlockExperimentalVMOptions", "runtime/globals.hpp"),
            Map.entry("ReduceSignalUsage", "runtime/globals.hpp, set by -Xrs in runtime/arguments.cpp"),
            Map.entry("ErrorFile", "runtime/globals.hpp"));

    /** Options HotSpot's argument parser takes on every platform, not flags of globals.hpp. */
    static final Map<String, String> ARGUMENTS = Map.of(
            "-Xlog", "runtime/arguments.cpp, logging/logConfiguration.cpp",
            "--enable-native-access", "runtime/arguments.cpp (a module option)",
            "--finalization", "runtime/arguments.cpp");

    /**
     * Options that exist everywhere but work only on some platforms, where they may be non-zero: elsewhere
     * HotSpot warns at every start. TrimNativeHeapInterval: os::can_trim_native_heap() is true with glibc only
     * (os/linux/os_linux.inline.hpp; false in os/bsd and os/windows), and runtime/trimNativeHeap.cpp warns
     * "Native heap trim is not supported on this platform".
     */
    static final Map<String, Set<String>> SUPPORTED_ONLY_ON = Map.of(
            "TrimNativeHeapInterval", Set.of("linux-x64", "linux-aarch64"));

    /**
     * How small a Java thread's stack may be (os::set_minimum_stack_sizes in runtime/os.cpp): the per-OS-and-CPU
     * minimum usable stack, plus the red, yellow and reserved zones (1, 2 and 1 units of 4 KB on these
     * platforms, each rounded up to the page) and the shadow zone, rounded up to the page, and never below
     * PTHREAD_STACK_MIN (os/posix/os_posix.cpp). Cited only for the platforms that may bake -Xss.
     */
    record ThreadStack(long usableMinimum, long osMinimum, String source) {}

    static final Map<String, ThreadStack> THREAD_STACK = Map.of(
            "linux-x64", new ThreadStack(40 * K, 16 * K,
                    "os_cpu/linux_x86/os_linux_x86.cpp; glibc's PTHREAD_STACK_MIN on x86_64"),
            "linux-aarch64", new ThreadStack(72 * K, 128 * K,
                    "os_cpu/linux_aarch64/os_linux_aarch64.cpp; glibc's PTHREAD_STACK_MIN on aarch64"),
            "macos-aarch64", new ThreadStack(72 * K, 16 * K,
                    "os_cpu/bsd_aarch64/os_bsd_aarch64.cpp; PTHREAD_STACK_MIN in macOS's limits.h"));

    /** The default StackShadowPages, where a row does not set it (the same CPU headers as the range). */
    static final Map<String, Long> DEFAULT_SHADOW_PAGES = Map.of(
            "linux-x64", 20L, "macos-x64", 20L, "windows-x64", 8L,
            "linux-aarch64", 20L, "macos-aarch64", 20L, "windows-aarch64", 20L);

    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** The smallest -Xss HotSpot accepts on {@code platform} with {@code pageSize} and this many shadow pages. */
    static long minimumThreadStack(String platform, long pageSize, long shadowPages) {
        ThreadStack stack = THREAD_STACK.get(platform);
        long unit = 4 * K;
        long guard = alignUp(unit, pageSize) + alignUp(2 * unit, pageSize) + alignUp(unit, pageSize);
        long shadow = alignUp(shadowPages * unit, pageSize);
        return Math.max(alignUp(stack.usableMinimum() + guard + shadow, pageSize), stack.osMinimum());
    }

    /** One option as HotSpot's flag name (or the option's own name) and its value. */
    record Setting(String name, String value) {
        long number() {
            return size(value);
        }
    }

    static Setting setting(String option) {
        if (option.startsWith("-XX:+") || option.startsWith("-XX:-")) {
            return new Setting(option.substring(5), String.valueOf(option.charAt(4) == '+'));
        }
        if (option.startsWith("-XX:") && option.contains("=")) {
            int equals = option.indexOf('=');
            return new Setting(option.substring(4, equals), option.substring(equals + 1));
        }
        if (option.startsWith("-Xss")) {
            return new Setting("ThreadStackSize", String.valueOf(size(option.substring(4)) / K));
        }
        if (option.startsWith("-Xmx")) {
            return new Setting("MaxHeapSize", String.valueOf(size(option.substring(4))));
        }
        if (option.equals("-Xrs")) {
            return new Setting("ReduceSignalUsage", "true");
        }
        int separator = option.startsWith("-Xlog") ? "-Xlog".length() : option.indexOf('=');
        if (separator < 0) {
            throw new AssertionError(option + " is not an option form this test knows: teach it in setting()");
        }
        return new Setting(option.substring(0, separator), option.substring(separator + 1));
    }

    /** A number as HotSpot reads it, with an optional k, m or g suffix. */
    static long size(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        long scale = switch (lower.charAt(lower.length() - 1)) {
            case 'k' -> K;
            case 'm' -> M;
            case 'g' -> K * M;
            default -> 1;
        };
        String digits = scale == 1 ? lower : lower.substring(0, lower.length() - 1);
        return Long.parseLong(digits) * scale;
    }

    static Method of;
    static List<String> platforms;
    static String here;

    /** Compiles JvmOptions.java as ImageBuilder's java launcher does, and reads its table. */
    @BeforeAll
    static void loadTheTable(@TempDir Path classes) throws Exception {
        Path source = Path.of("src/build/JvmOptions.java");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                source.toString()), "javac " + source);
        @SuppressWarnings("resource") // the class is used by every test
        Class<?> table = new URLClassLoader(new URL[] {classes.toUri().toURL()}).loadClass("JvmOptions");
        of = table.getDeclaredMethod("of", String.class);
        of.setAccessible(true);
        var list = table.getDeclaredField("PLATFORMS");
        list.setAccessible(true);
        platforms = copyOf(list.get(null));
        Method platform = table.getDeclaredMethod("platform", String.class, String.class);
        platform.setAccessible(true);
        here = (String) platform.invoke(null, System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    static List<String> copyOf(Object list) {
        List<String> strings = new ArrayList<>();
        for (Object item : (List<?>) list) {
            strings.add((String) item);
        }
        return strings;
    }

    static List<String> options(String platform) throws Exception {
        return copyOf(of.invoke(null, platform));
    }

    static List<Setting> settings(String platform) throws Exception {
        return options(platform).stream().map(JvmOptionsTest::setting).toList();
    }

    @Test
    void everyPlatformTheRulesKnowHasARowAndNoOther() {
        assertEquals(PAGE_SIZES.keySet(), Set.copyOf(platforms));
    }

    @Test
    void everyOptionOfEveryRowHasACitedRule() throws Exception {
        for (String platform : platforms) {
            for (Setting setting : settings(platform)) {
                assertTrue(NUMERIC.containsKey(setting.name()) || SHARED.containsKey(setting.name())
                        || ARGUMENTS.containsKey(setting.name()), platform + ": " + setting.name()
                        + " has no cited range; add it to this test with the HotSpot source that gives it");
            }
        }
    }

    @Test
    void everyValueLiesInItsRangeOnEveryPageSizeOfItsPlatform() throws Exception {
        for (String platform : platforms) {
            for (Setting setting : settings(platform)) {
                Numeric rule = NUMERIC.get(setting.name());
                if (rule == null) {
                    continue;
                }
                for (long pageSize : PAGE_SIZES.get(platform)) {
                    Limits limits = rule.on(platform, pageSize);
                    assertNotNull(limits, setting.name() + " has no range cited for " + platform);
                    assertTrue(limits.holds(setting.number()), platform + " (" + pageSize / K + " KB pages): "
                            + setting.name() + "=" + setting.value() + " is outside " + limits + ", " + rule.source());
                }
            }
        }
    }

    @Test
    void optionsSupportedOnSomePlatformsOnlyAreOffElsewhere() throws Exception {
        for (String platform : platforms) {
            for (Setting setting : settings(platform)) {
                Set<String> supported = SUPPORTED_ONLY_ON.get(setting.name());
                assertTrue(supported == null || supported.contains(platform) || setting.number() == 0,
                        setting.name() + " is not supported on " + platform + ": HotSpot would warn at every start");
            }
        }
    }

    /** A baked -Xss leaves room for the guard and shadow zones on every page size of its platform. */
    @Test
    void aBakedThreadStackFitsEveryPageSizeOfItsPlatform() throws Exception {
        for (String platform : platforms) {
            Map<String, Setting> byName = byName(settings(platform));
            Setting stack = byName.get("ThreadStackSize");
            if (stack == null) {
                continue;
            }
            assertTrue(THREAD_STACK.containsKey(platform), "-Xss on " + platform + " needs its minimum cited here");
            long shadow = shadowPages(platform, byName);
            for (long pageSize : PAGE_SIZES.get(platform)) {
                long minimum = minimumThreadStack(platform, pageSize, shadow);
                assertTrue(stack.number() * K >= minimum, platform + " (" + pageSize / K + " KB pages): -Xss"
                        + stack.value() + "k is below HotSpot's minimum there, " + minimum / K + "k");
            }
        }
        // Why x86_64 Linux keeps its 256 KB stacks to itself: aarch64 Linux with 64 KB pages needs more.
        assertTrue(minimumThreadStack("linux-aarch64", 64 * K, 20) > 256 * K);
    }

    static long shadowPages(String platform, Map<String, Setting> byName) {
        Setting shadow = byName.get("StackShadowPages");
        return shadow != null ? shadow.number() : DEFAULT_SHADOW_PAGES.get(platform);
    }

    static Map<String, Setting> byName(List<Setting> settings) {
        Map<String, Setting> byName = new LinkedHashMap<>();
        settings.forEach(setting -> byName.put(setting.name(), setting));
        return byName;
    }

    static final Pattern RANGE = Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+\\[\\s*(-?\\d+)\\s*\\.\\.\\.\\s*(-?\\d+)\\s*\\]");

    /** What this JVM prints as each flag's range, diagnostic and experimental ones included. */
    static Map<String, Limits> printedRanges() throws Exception {
        Map<String, Limits> printed = new LinkedHashMap<>();
        for (String line : java("-XX:+UnlockDiagnosticVMOptions", "-XX:+UnlockExperimentalVMOptions",
                "-XX:+PrintFlagsRanges", "-version").lines().toList()) {
            Matcher range = RANGE.matcher(line);
            if (range.find()) {
                printed.put(range.group(1), new Limits(bound(range.group(2)), bound(range.group(3))));
            }
        }
        return printed;
    }

    /** A bound as printed: signed for the signed types, up to 2^64 - 1 for size_t and uint64_t. */
    static long bound(String printed) {
        return printed.startsWith("-") ? Long.parseLong(printed) : Long.parseUnsignedLong(printed);
    }

    /** The ranges cited for the platform this test runs on are this JVM's own. */
    @Test
    void theRangesCitedForThisPlatformAreThoseOfThisJvm() throws Exception {
        Map<String, Limits> printed = printedRanges();
        long pageSize = pageSize(printed);
        for (Map.Entry<String, Numeric> rule : NUMERIC.entrySet()) {
            assertEquals(rule.getValue().on(here, pageSize), printed.get(rule.getKey()),
                    rule.getKey() + " on " + here + ", as cited from " + rule.getValue().source());
        }
    }

    /**
     * HotSpot's lower bound of ReservedCodeCacheSize is its page size: which page size this machine has,
     * one of those cited for its platform.
     */
    static long pageSize(Map<String, Limits> printed) {
        long pageSize = printed.get("ReservedCodeCacheSize").min();
        assertTrue(PAGE_SIZES.get(here).contains(pageSize), here + " runs with " + pageSize + "-byte pages");
        return pageSize;
    }

    /** This JVM refuses a stack below the minimum computed for its platform, and names that minimum. */
    @Test
    void theThreadStackMinimumIsThatOfThisJvm() throws Exception {
        assumeTrue(THREAD_STACK.containsKey(here), "no -Xss minimum is cited for " + here + ", where none is baked");
        Map<String, Limits> printed = printedRanges();
        long shadow = shadowPages(here, byName(settings(here)));
        String refused = java("-XX:StackShadowPages=" + shadow, "-Xss1k", "-version");
        Matcher minimum = Pattern.compile("Specify at least (\\d+)k").matcher(refused);
        assertTrue(minimum.find(), refused);
        assertEquals(minimumThreadStack(here, pageSize(printed), shadow) / K, Long.parseLong(minimum.group(1)));
    }

    /** This machine's JVM starts with its row's options and says nothing about them. */
    @Test
    void thisJvmStartsWithItsRowsOptionsWithoutAWarning() throws Exception {
        List<String> command = new ArrayList<>(List.of("--module-path", jnaJar(), "--add-modules", "com.sun.jna"));
        command.addAll(options(here));
        command.add("-version");
        String output = java(command.toArray(String[]::new));
        assertTrue(output.contains("version \"" + Runtime.version().feature()), output);
        assertFalse(output.toLowerCase(Locale.ROOT).contains("warning"), output);
    }

    /** JNA's jar, so that the JVM knows the module --enable-native-access names. */
    static String jnaJar() throws Exception {
        return Path.of(com.sun.jna.Native.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }

    /** Runs this JDK's java with {@code arguments}: its stdout and stderr together. */
    static String java(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(arguments));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        java.getOutputStream().close();
        String output = new String(java.getInputStream().readAllBytes(), UTF_8);
        if (!java.waitFor(60, TimeUnit.SECONDS)) {
            java.destroyForcibly();
            fail("java did not finish: " + command);
        }
        return output;
    }
}
