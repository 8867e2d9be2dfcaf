/**
 * The {@code tether} command: options, the watch, signals, diagnostics and exit statuses. picocli is needed
 * only to build (the help, the man page, the completions) and to test: tether reads its own arguments, so the
 * image holds no picocli.
 */
module tether.cli {
    requires tether.api;
    requires static info.picocli;
    requires org.tinylog.api;

    opens tether.cli to info.picocli;
}
