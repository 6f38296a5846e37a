package org.syncservice.server.config;

import java.time.Duration;

/** Notification delivery settings (keys {@code notifications.*}). */
public record NotificationConfig(
        Duration deviceQueueTtl,
        int deviceQueueMaxLength,
        int maxItemsPerNotification,
        Duration outboxPollInterval,
        int outboxBatchSize,
        Duration outboxRetention,
        boolean persistent,
        int outboxMaxAttempts,
        int maxNotificationBytes) {
}
