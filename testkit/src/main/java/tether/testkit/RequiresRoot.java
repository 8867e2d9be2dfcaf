package tether.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test only root can run: it starts a process as a second user, or makes a file setuid root. For anyone
 * else it is skipped before it starts, with "needs root: " and {@link #value()} as the reason. Tagged
 * {@code root}: {@code .ci/run} runs these as root after the whole suite ran as an ordinary user.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("root")
@ExtendWith(Requirements.class)
public @interface RequiresRoot {

    /** What the test does that only root may. */
    String value();
}
