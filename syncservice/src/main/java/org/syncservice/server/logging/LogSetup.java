package org.syncservice.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Appender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.server.config.LogConfig;

/**
 * Applies {@code log.*} to the service's own logging set-up (logback.xml's appender
 * {@value #APPENDER} on standard error): the root level, and for {@code log.format=json} logback's
 * own {@link JsonEncoder} in place of the text pattern. Does nothing where that appender is not in
 * force (tests, a program embedding the service with logging of its own). Called once, right after
 * the configuration is loaded; not thread-safe.
 */
public final class LogSetup {
    static final String APPENDER = "STDERR";

    private LogSetup() {
    }

    public static void apply(LogConfig config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> appender = root.getAppender(APPENDER);
        if (!(appender instanceof ConsoleAppender<ILoggingEvent> console)) {
            return;
        }
        root.setLevel(Level.toLevel(config.level(), Level.INFO));
        if (config.format() == LogConfig.Format.JSON) {
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            encoder.start();
            console.stop();
            console.setEncoder(encoder);
            console.start();
        }
    }
}
