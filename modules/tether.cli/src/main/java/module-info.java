/** The {@code tether} command: options, the watch, signals, diagnostics and exit statuses. */
module tether.cli {
    requires tether.api;
    requires info.picocli;
    requires org.tinylog.api;

    opens tether.cli to info.picocli;
}
