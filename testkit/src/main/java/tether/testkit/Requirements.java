package tether.testkit;

import java.lang.reflect.AnnotatedElement;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Decides {@link RequiresRoot}, {@link RequiresUtf8FileNames} and {@link RequiresTools} before a test (or
 * a class of them) starts, so that a test the machine cannot run costs nothing and says which requirement
 * was not met, in the same words everywhere.
 */
public final class Requirements implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<AnnotatedElement> element = context.getElement();
        if (element.isEmpty()) {
            return ConditionEvaluationResult.enabled("no requirements");
        }
        List<String> unmet = new ArrayList<>();
        AnnotationSupport.findAnnotation(element, RequiresRoot.class).ifPresent(root -> {
            if (!isRoot()) {
                unmet.add("needs root: " + root.value());
            }
        });
        AnnotationSupport.findAnnotation(element, RequiresUtf8FileNames.class).ifPresent(utf8 -> {
            if (!fileNamesAreUtf8()) {
                unmet.add("needs a UTF-8 locale (LANG=C.UTF-8): " + utf8.value() + ", and this JVM names files in "
                        + fileNameCharset());
            }
        });
        AnnotationSupport.findAnnotation(element, RequiresTools.class).ifPresent(tools -> {
            List<String> missing = new ArrayList<>();
            for (String tool : tools.value()) {
                if (!onPath(tool)) {
                    missing.add(tool);
                }
            }
            if (!missing.isEmpty()) {
                unmet.add("needs " + String.join(" and ", missing) + " on PATH: " + tools.why());
            }
        });
        return unmet.isEmpty() ? ConditionEvaluationResult.enabled("requirements met")
                : ConditionEvaluationResult.disabled(String.join("; ", unmet));
    }

    /** Whether the tests run as root, who may do what these tests need another user for. */
    public static boolean isRoot() {
        return Procs.realUid(ProcessHandle.current().pid()) == 0;
    }

    public static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** The charset this JVM converts file names with: the locale's when it started (macOS: always UTF-8). */
    static String fileNameCharset() {
        return System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
    }

    static boolean fileNamesAreUtf8() {
        try {
            return Charset.forName(fileNameCharset()).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
