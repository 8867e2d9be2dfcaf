package tether.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test whose own JVM must name a file that is not ASCII, such as {@code café}. A JVM converts file names
 * with the locale's charset, fixed at its start: in the C locale (LANG unset, as under cron or in most
 * containers) such a name cannot be made or opened through {@code java.nio} at all. Where this JVM's charset
 * is not UTF-8 the test is skipped before it starts, saying so. Tagged {@code utf8}: {@code .ci/run} runs
 * these again in a UTF-8 locale. Tests of tether itself in the C locale do not need this: they make their
 * names through a shell, from bytes, as {@code HostileIT} does.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("utf8")
@ExtendWith(Requirements.class)
public @interface RequiresUtf8FileNames {

    /** Which name the test makes, and why through Java. */
    String value();
}
