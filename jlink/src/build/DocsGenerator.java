import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Writes tether's man page and its bash, zsh and fish completions:
 * {@code java DocsGenerator.java OUTPUT_DIR USAGE_MD VERSION}, run with tether's modules and picocli on the
 * module path and {@code tether.cli} opened to it.
 *
 * <p>The man page is made of the two sources the rest of the documentation has: the picocli model of the
 * command line (name, synopsis, the help's paragraphs, the options, the examples), which also renders
 * {@code --help}, and the {@code ##} sections of docs/usage.md, each a section of the page under its own
 * heading (the exit statuses, the JSON fields, ...). So the page shipped in the .deb says all the reference
 * says, and none of it can drift. The completions come from the model alone.
 *
 * <p>The completions treat the first word that is not an option as COMMAND and complete the rest as that
 * command's own line, as {@code sudo} and {@code env} do.
 */
public class DocsGenerator {

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]));
        String usage = Files.readString(Path.of(args[1]));
        CommandSpec spec = model();
        Files.writeString(out.resolve("tether.1"), manPage(spec, usage, args[2]));
        Files.writeString(out.resolve("tether.bash"), bash(spec));
        Files.writeString(out.resolve("_tether"), zsh(spec));
        Files.writeString(out.resolve("tether.fish"), fish(spec));
    }

    /** The model tether.cli's PicocliModel sets up, reached through its package-private factory. */
    static CommandSpec model() throws ReflectiveOperationException {
        Class<?> options = Class.forName("tether.cli.Options");
        var constructor = options.getDeclaredConstructor();
        constructor.setAccessible(true);
        Method factory = Class.forName("tether.cli.PicocliModel").getDeclaredMethod("commandLine", options);
        factory.setAccessible(true);
        return ((CommandLine) factory.invoke(null, constructor.newInstance())).getCommandSpec();
    }

    static List<OptionSpec> options(CommandSpec spec) {
        return spec.options();
    }

    static boolean takesValue(OptionSpec option) {
        return option.arity().max() > 0;
    }

    static String description(OptionSpec option) {
        return String.join(" ", option.description()).replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()));
    }

    /** The words a value may take, where the model lists them; empty otherwise. */
    static List<String> choices(OptionSpec option) {
        List<String> choices = new ArrayList<>();
        if (option.completionCandidates() != null) {
            option.completionCandidates().forEach(choices::add);
        }
        return choices;
    }

    // ---- man page (man(7) macros) ----

    static String manPage(CommandSpec spec, String usage, String version) {
        StringBuilder man = new StringBuilder();
        man.append(".TH TETHER 1 \"").append(LocalDate.now()).append("\" \"tether ").append(roff(version))
                .append("\" \"User Commands\"\n");
        String summary = String.join(" ", spec.usageMessage().header());
        man.append(".SH NAME\ntether \\- ").append(roff(summary.substring(0, 1).toLowerCase(Locale.ROOT)
                + summary.substring(1))).append('\n');
        man.append(".SH SYNOPSIS\n");
        for (String line : spec.usageMessage().customSynopsis()) {
            man.append(synopsis(line.replaceFirst("^ *or: +", "")));
        }
        man.append(".SH DESCRIPTION\n").append(paragraphs(List.of(spec.usageMessage().description())));
        List<Section> sections = Section.of(usage);
        man.append(".PP\n").append(sections.getFirst().roff());
        man.append(".SH OPTIONS\n");
        for (OptionSpec option : options(spec)) {
            man.append(".TP\n.B ").append(roff(String.join(", ", option.names())));
            if (takesValue(option)) {
                man.append(" \\fI").append(roff(option.paramLabel())).append("\\fR");
            }
            man.append('\n').append(roff(description(option))).append('\n');
        }
        List<String> footer = List.of(spec.usageMessage().footer());
        man.append(".PP\n").append(roff(footer.getFirst())).append('\n');
        for (Section section : sections.subList(1, sections.size())) {
            man.append(".SH ").append(roff(section.heading().toUpperCase(Locale.ROOT))).append('\n').append(section.roff());
        }
        man.append(".SH EXAMPLES\n.nf\n");
        List<String> examples = footer.subList(footer.indexOf("Examples:") + 1, footer.size());
        for (String example : examples.subList(0, examples.indexOf(""))) {
            man.append(roff(example.strip())).append('\n');
        }
        man.append(".fi\n.SH SEE ALSO\n.BR timeout (1),\n.BR setsid (1),\n.BR git\\-worktree (1)\n");
        return man.toString();
    }

    /** One form of the synopsis: its command and options bold, the words that stand for something italic. */
    static String synopsis(String line) {
        StringBuilder roff = new StringBuilder(".br\n");
        String[] words = line.split(" ");
        int bold = 1;
        while (bold < words.length && words[bold].startsWith("--") && !words[bold].equals("--")) {
            bold++;
        }
        roff.append(".B ").append(roff(String.join(" ", List.of(words).subList(0, bold)))).append('\n');
        List<String> rest = new ArrayList<>();
        for (String word : List.of(words).subList(bold, words.length)) {
            rest.add(roff(word).replaceAll("([A-Z]{2,})", "\\\\fI$1\\\\fR").replaceAll("(\\\\-\\\\-[a-z-\\\\]*[a-z])",
                    "\\\\fB$1\\\\fR"));
        }
        return roff.append(String.join(" ", rest)).append('\n').toString();
    }

    /** The help's paragraphs, one element each with blank ones between, as man(7) paragraphs. */
    static String paragraphs(List<String> elements) {
        return String.join(".PP\n", elements.stream().filter(e -> !e.isBlank()).map(e -> roff(e) + "\n").toList());
    }

    /**
     * Escapes text for roff: backslashes, hyphens (so they stay minus signs), leading dots, and the few
     * characters beyond ASCII that the documentation uses, as groff's own names for them.
     */
    static String roff(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-").replace("—", "\\(em").replace("–", "\\(en")
                .replace("…", "...").replace("→", "\\(->");
        for (int i = 0; i < escaped.length(); i++) {
            if (escaped.charAt(i) > 127) {
                throw new IllegalArgumentException("no roff for '" + escaped.charAt(i) + "' in: " + text);
            }
        }
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }

    /**
     * A {@code ##} section of docs/usage.md, as man(7) markup. The Markdown there keeps to what this reads:
     * paragraphs, {@code -} lists, two-column tables, fenced blocks, and inline code, bold and links; anything
     * else fails the build here rather than reaching the page garbled.
     */
    record Section(String heading, List<String> lines) {

        static List<Section> of(String markdown) {
            List<Section> sections = new ArrayList<>();
            for (String part : markdown.split("\n## ")) {
                if (sections.isEmpty() && !markdown.startsWith("## ")) {
                    sections.add(null);
                    continue;
                }
                List<String> lines = List.of(part.split("\n", -1));
                sections.add(new Section(lines.getFirst().strip(), lines.subList(1, lines.size())));
            }
            sections.removeFirst();
            if (sections.isEmpty() || !sections.getFirst().heading().equals("Description")) {
                throw new IllegalStateException("docs/usage.md's first ## section must be Description");
            }
            return sections;
        }

        String roff() {
            StringBuilder roff = new StringBuilder();
            List<String> paragraph = new ArrayList<>();
            boolean fenced = false;
            int tableRow = 0;
            for (String line : lines) {
                tableRow = line.startsWith("| ") ? tableRow + 1 : 0;
                if (line.startsWith("```")) {
                    flush(roff, paragraph);
                    roff.append(fenced ? ".fi\n.RE\n" : ".PP\n.RS 4\n.nf\n");
                    fenced = !fenced;
                } else if (fenced) {
                    roff.append(DocsGenerator.roff(line)).append('\n');
                } else if (tableRow > 2) {
                    row(roff, line);
                } else if (tableRow > 0) {
                    flush(roff, paragraph);
                } else if (line.startsWith("- ")) {
                    flush(roff, paragraph);
                    paragraph.add("\u0000" + line.substring(2));
                } else if (line.isBlank()) {
                    flush(roff, paragraph);
                } else if (line.startsWith("#") || line.startsWith("* ") || line.matches("^\\d+\\. .*")) {
                    throw new IllegalStateException("docs/usage.md, " + heading + ": no man page form for: " + line);
                } else {
                    paragraph.add(line.strip());
                }
            }
            flush(roff, paragraph);
            return roff.toString();
        }

        /** A paragraph, or a list item (marked by a leading NUL), as one filled line of roff. */
        private static void flush(StringBuilder roff, List<String> paragraph) {
            if (paragraph.isEmpty()) {
                return;
            }
            String text = String.join(" ", paragraph);
            boolean item = text.startsWith("\u0000");
            roff.append(item ? ".IP \\(bu 2\n" : ".PP\n").append(inline(item ? text.substring(1) : text)).append('\n');
            paragraph.clear();
        }

        /** A table's row below its heading, as a tagged paragraph: the first cell the tag, the second its text. */
        private static void row(StringBuilder roff, String line) {
            String[] cells = line.substring(2, line.length() - 2).split(" \\| ");
            if (cells.length != 2) {
                throw new IllegalStateException("docs/usage.md: a table row of other than two cells: " + line);
            }
            roff.append(".TP\n").append(inline(cells[0])).append('\n').append(inline(cells[1])).append('\n');
        }

        private static final Pattern INLINE = Pattern.compile("`([^`]+)`|\\*\\*([^*]+)\\*\\*|\\[([^\\]]+)\\]\\([^)]+\\)");

        /** Inline code and bold as bold, a link as its text; the rest escaped. */
        static String inline(String text) {
            StringBuilder roff = new StringBuilder();
            Matcher m = INLINE.matcher(text);
            int at = 0;
            while (m.find()) {
                roff.append(DocsGenerator.roff(text.substring(at, m.start())));
                if (m.group(3) != null) {
                    roff.append(DocsGenerator.roff(m.group(3)));
                } else {
                    roff.append("\\fB").append(DocsGenerator.roff(m.group(1) != null ? m.group(1) : m.group(2)))
                            .append("\\fR");
                }
                at = m.end();
            }
            return roff.append(DocsGenerator.roff(text.substring(at))).toString();
        }
    }

    // ---- bash ----

    /**
     * After COMMAND, bash-completion's {@code _command_offset} completes COMMAND's words as COMMAND's own
     * completion does. Without the bash-completion package (a sourced file, a minimal system) there is no
     * {@code _command_offset}: then COMMAND's name completes from the commands bash knows and its arguments as
     * file names, which {@code -o default} leaves to readline.
     */
    static String bash(CommandSpec spec) {
        List<String> flags = new ArrayList<>();
        List<String> valued = new ArrayList<>();
        for (OptionSpec option : options(spec)) {
            (takesValue(option) ? valued : flags).addAll(List.of(option.names()));
        }
        StringBuilder cases = new StringBuilder();
        for (OptionSpec option : options(spec)) {
            if (!takesValue(option)) {
                continue;
            }
            cases.append("            ").append(String.join("|", option.names())).append(")\n");
            cases.append("                ").append(switch (option.paramLabel()) {
                case "DIR" -> "COMPREPLY=($(compgen -d -- \"$cur\"))";
                case "PATH", "FILE" -> "COMPREPLY=($(compgen -f -- \"$cur\"))";
                default -> "COMPREPLY=($(compgen -W \"" + String.join(" ", choices(option)) + "\" -- \"$cur\"))";
            }).append("\n                return;;\n");
        }
        return """
                # bash completion for tether, generated from its command line.
                # COMMAND's own words, from word $1 on: as COMMAND's completion has them where bash-completion
                # is loaded; otherwise COMMAND's name from the commands bash knows, and file names after it.
                _tether_command() {
                    if declare -F _command_offset >/dev/null; then
                        _command_offset "$1"
                    elif ((COMP_CWORD == $1)); then
                        COMPREPLY=($(compgen -c -- "$cur"))
                    fi
                }
                _tether() {
                    local cur prev i
                    COMPREPLY=()
                    cur=${COMP_WORDS[COMP_CWORD]}
                    prev=${COMP_WORDS[COMP_CWORD-1]}
                    # The first word that is not an option, or the word after --, starts COMMAND.
                    for ((i = 1; i < COMP_CWORD; i++)); do
                        case ${COMP_WORDS[i]} in
                            --) _tether_command $((i + 1)); return;;
                            %1$s) ((i++));;
                            -*) ;;
                            *) _tether_command $i; return;;
                        esac
                    done
                    case $prev in
                %2$s    esac
                    if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W "%3$s" -- "$cur"))
                    else
                        COMPREPLY=($(compgen -c -- "$cur"))
                    fi
                }
                complete -o default -F _tether tether
                """.formatted(String.join("|", valued), cases, String.join(" ", allNames(spec)));
    }

    static List<String> allNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec option : options(spec)) {
            names.addAll(List.of(option.names()));
        }
        names.add("--");
        return names;
    }

    // ---- zsh ----

    static String zsh(CommandSpec spec) {
        StringBuilder specs = new StringBuilder();
        for (OptionSpec option : options(spec)) {
            String[] names = option.names();
            String text = "[" + zshText(description(option)) + "]" + zshValue(option);
            specs.append("    ");
            if (names.length == 1) {
                specs.append("'").append(repeatable(option) ? "*" : "").append(names[0]).append(text).append("'");
            } else {
                String exclusion = repeatable(option) ? "*" : "(" + String.join(" ", names) + ")";
                specs.append("'").append(exclusion).append("'{").append(String.join(",", names)).append("}'")
                        .append(text).append("'");
            }
            specs.append(" \\\n");
        }
        return """
                #compdef tether
                # zsh completion for tether, generated from its command line.
                _arguments -S \\
                %s    '(-)1:command:_command_names -e' \\
                    '*::arguments:_normal'
                """.formatted(specs);
    }

    /** An option whose value is an array (such as -v) may be given more than once. */
    static boolean repeatable(OptionSpec option) {
        return option.type().isArray();
    }

    static String zshValue(OptionSpec option) {
        if (!takesValue(option)) {
            return "";
        }
        return ":" + option.paramLabel().toLowerCase(Locale.ROOT) + ":" + switch (option.paramLabel()) {
            case "DIR" -> "_directories";
            case "PATH", "FILE" -> "_files";
            default -> choices(option).isEmpty() ? " " : "(" + String.join(" ", choices(option)) + ")";
        };
    }

    static String zshText(String text) {
        return text.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:");
    }

    // ---- fish ----

    static String fish(CommandSpec spec) {
        StringBuilder fish = new StringBuilder("# fish completion for tether, generated from its command line.\n");
        fish.append("# After COMMAND, complete COMMAND's own arguments.\n");
        fish.append("complete -c tether -n '__fish_tether_has_command' -x -a '(__fish_complete_subcommand)'\n");
        fish.append("""
                function __fish_tether_has_command
                    set -l words (commandline -opc)
                    set -e words[1]
                    set -l skip 0
                    for word in $words
                        if test $skip = 1
                            set skip 0
                            continue
                        end
                        switch $word
                            case -- %s
                                set skip 1
                            case '--'
                                return 0
                            case '-*'
                            case '*'
                                return 0
                        end
                    end
                    return 1
                end
                """.formatted(String.join(" ", valuedWords(spec))));
        for (OptionSpec option : options(spec)) {
            fish.append("complete -c tether -n 'not __fish_tether_has_command'");
            for (String name : option.names()) {
                fish.append(name.startsWith("--") ? " -l " + name.substring(2) : " -s " + name.substring(1));
            }
            if (takesValue(option)) {
                fish.append(switch (option.paramLabel()) {
                    case "DIR" -> " -r -a '(__fish_complete_directories)'";
                    case "PATH", "FILE" -> " -r -F";
                    default -> choices(option).isEmpty() ? " -x"
                            : " -x -a '" + String.join(" ", choices(option)) + "'";
                });
            }
            fish.append(" -d '").append(description(option).replace("'", "\\'")).append("'\n");
        }
        fish.append("complete -c tether -n 'not __fish_tether_has_command' -x -a '(__fish_complete_command)'\n");
        return fish.toString();
    }

    static List<String> valuedWords(CommandSpec spec) {
        List<String> words = new ArrayList<>();
        for (OptionSpec option : options(spec)) {
            if (takesValue(option)) {
                words.addAll(List.of(option.names()));
            }
        }
        return words;
    }
}
