package tether.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs programs a machine may lack (python3, zsh, groff...): skipped before it starts, naming
 * those missing from {@code PATH} and {@link #why()}. {@code .ci/run} installs every one of them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Requirements.class)
public @interface RequiresTools {

    /** The programs, as found on {@code PATH}. */
    String[] value();

    /** What the test uses them for. */
    String why();
}
