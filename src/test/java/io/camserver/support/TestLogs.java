package io.camserver.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.sift.AbstractDiscriminator;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Server logs from the tests go to one file per test class, {@code target/test-logs/<Class>.log},
 * not to the console: CI output stays readable, and a failure's log is one file to open. The
 * servers' threads carry no test context, so the file is chosen by which test class runs now
 * (the suite runs one class at a time).
 */
public final class TestLogs implements BeforeAllCallback {
    private static volatile String current = "startup";

    @Override
    public void beforeAll(ExtensionContext context) {
        current = context.getRequiredTestClass().getSimpleName();
    }

    /** Logback's sifting key: the running test class. */
    public static final class Discriminator extends AbstractDiscriminator<ILoggingEvent> {
        @Override
        public String getDiscriminatingValue(ILoggingEvent e) {
            return current;
        }

        @Override
        public String getKey() {
            return "testClass";
        }
    }
}
