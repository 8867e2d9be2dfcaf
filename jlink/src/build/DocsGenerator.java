import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Writes tether's man page and its bash, zsh and fish completions from the picocli model of its command
 * line, so they cannot drift from the options: {@code java DocsGenerator.java OUTPUT_DIR}, run with
 * tether's modules on the module path and {@code tether.cli} opened to it.
 *
 * <p>The completions treat the first word that is not an option as COMMAND and complete the rest as that
 * command's own line, as {@code sudo} and {@code env} do.
 */
public class DocsGenerator {

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]));
        CommandSpec spec = model();
        Files.writeString(out.resolve("tether.1"), manPage(spec));
        Files.writeString(out.resolve("tether.bash"), bash(spec));
        Files.writeString(out.resolve("_tether"), zsh(spec));
        Files.writeString(out.resolve("tether.fish"), fish(spec));
    }

    /** The same {@code CommandLine} tether parses with, reached through its package-private factory. */
    static CommandSpec model() throws ReflectiveOperationException {
        Class<?> options = Class.forName("tether.cli.Options");
        var constructor = options.getDeclaredConstructor();
        constructor.setAccessible(true);
        Method factory = Class.forName("tether.cli.PicocliParser").getDeclaredMethod("commandLine", options);
        factory.setAccessible(true);
        return ((CommandLine) factory.invoke(null, constructor.newInstance())).getCommandSpec();
    }

    static List<OptionSpec> options(CommandSpec spec) {
        return spec.options();
    }

    static boolean takesValue(OptionSpec option) {
        return option.arity().max() > 0;
    }

    static String longName(OptionSpec option) {
        return option.longestName();
    }

    static String shortName(OptionSpec option) {
        String shortest = option.shortestName();
        return shortest.startsWith("--") ? null : shortest;
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

    static String manPage(CommandSpec spec) {
        StringBuilder man = new StringBuilder();
        String version = spec.version().length > 0 ? spec.version()[0] : "tether";
        man.append(".TH TETHER 1 \"").append(LocalDate.now()).append("\" \"").append(roff(version))
                .append("\" \"User Commands\"\n");
        man.append(".SH NAME\ntether \\- ").append(roff(String.join(" ", spec.usageMessage().header()))).append('\n');
        man.append(".SH SYNOPSIS\n.B tether\n[\\fIOPTIONS\\fR] [\\fB\\-\\-\\fR] \\fICOMMAND\\fR [\\fIARG\\fR...]\n")
                .append(".br\n.B tether \\-\\-list\n[\\fB\\-\\-all\\fR] [\\fB\\-\\-json\\fR] [\\fIPATH\\fR]\n")
                .append(".br\n.B tether \\-\\-stop\n[\\fB\\-\\-all\\fR [\\fB\\-\\-grace\\fR=\\fIDURATION\\fR]"
                        + " [\\fB\\-\\-signal\\fR=\\fINAME\\fR]] [\\fIPATH\\fR|\\fIPID\\fR...]\n");
        man.append(".SH DESCRIPTION\n").append(paragraphs(List.of(spec.usageMessage().description())));
        man.append(".SH OPTIONS\n");
        for (OptionSpec option : options(spec)) {
            man.append(".TP\n.B ").append(roff(String.join(", ", option.names())));
            if (takesValue(option)) {
                man.append(" \\fI").append(roff(option.paramLabel())).append("\\fR");
            }
            man.append('\n').append(roff(description(option))).append('\n');
        }
        List<String> footer = List.of(spec.usageMessage().footer());
        man.append(".SH EXAMPLES\n.nf\n");
        for (String example : footer.subList(1, footer.indexOf(""))) {
            man.append(roff(example.strip())).append('\n');
        }
        man.append(".fi\n.SH EXIT STATUS\n").append(roff(paragraph(footer, "Exit status: "))).append('\n');
        man.append(".SH ENVIRONMENT\n.TP\n.B TETHER_LOG\n").append(roff(paragraph(footer, "TETHER_LOG="))).append('\n');
        man.append(".SH LOGS\n").append(roff(paragraph(footer, "Logs: "))).append('\n');
        return man.toString();
    }

    /** The help's paragraphs, one element each with blank ones between, as man(7) paragraphs. */
    static String paragraphs(List<String> elements) {
        return String.join(".PP\n", elements.stream().filter(e -> !e.isBlank()).map(e -> roff(e) + "\n").toList());
    }

    /** The footer's paragraph that starts with {@code prefix}, without it: the man page has a section for it. */
    static String paragraph(List<String> footer, String prefix) {
        return footer.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the help footer has no paragraph starting " + prefix))
                .substring(prefix.length());
    }

    /** Escapes text for roff: backslashes, hyphens (so they stay minus signs), and leading dots. */
    static String roff(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }

    // ---- bash ----

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
                _tether() {
                    local cur prev i
                    cur=${COMP_WORDS[COMP_CWORD]}
                    prev=${COMP_WORDS[COMP_CWORD-1]}
                    # The first word that is not an option, or the word after --, starts COMMAND.
                    for ((i = 1; i < COMP_CWORD; i++)); do
                        case ${COMP_WORDS[i]} in
                            --) _command_offset $((i + 1)); return;;
                            %1$s) ((i++));;
                            -*) ;;
                            *) _command_offset $i; return;;
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
                complete -F _tether tether
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
        return ":" + option.paramLabel().toLowerCase(java.util.Locale.ROOT) + ":" + switch (option.paramLabel()) {
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
