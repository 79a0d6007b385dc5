package io.camserver.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.camserver.comms.Integrations;
import io.camserver.comms.Webhooks;
import io.javalin.config.JavalinConfig;
import java.util.List;

/** Where faces and names go beyond this device: the integrations' state, and the privacy summary. */
final class IntegrationsResource {
    private IntegrationsResource() {
    }

    /** The MQTT connection; only {@code enabled} (false) when none is configured. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MqttBody(boolean enabled, String broker, Boolean connected, String lastError, Long sent, Long dropped) {
    }

    record WebhookBody(String url, List<String> events, long sent, long failed, long dropped, String lastError, int waiting) {
        static WebhookBody of(Webhooks.Status w) {
            return new WebhookBody(w.url(), w.events(), w.sent(), w.failed(), w.dropped(), w.lastError(), w.waiting());
        }
    }

    record IntegrationsBody(MqttBody mqtt, List<WebhookBody> webhooks) {
    }

    /**
     * @param faceDataLeavesDevice whether names and faces are sent anywhere ({@code sentTo}): a remote database, MQTT, webhooks
     */
    record PrivacyBody(long retentionDays, long retentionBytes, long storedEvents, long storedEventBytes, boolean faceDataLeavesDevice,
                       List<String> sentTo) {
    }

    static void install(JavalinConfig cfg, LiveServices live, PeopleServices s) {
        var r = cfg.routes;
        r.get("/api/integrations", ctx -> {
            Integrations.Status st = live.integrations().status();
            MqttBody mqtt = st.mqtt().map(m -> new MqttBody(true, m.broker(), m.connected(), m.lastError(), m.sent(), m.dropped()))
                    .orElse(new MqttBody(false, null, null, null, null, null));
            Http.json(ctx, 200, new IntegrationsBody(mqtt, st.webhooks().stream().map(WebhookBody::of).toList()));
        }, Auth.Level.ADMIN);
        r.get("/api/privacy", ctx -> {
            List<String> sentTo = s.dataLeavesTo().get();
            Http.json(ctx, 200, new PrivacyBody(s.retentionAge().toDays(), s.retentionBytes(), s.history().count(), s.history().totalBytes(),
                    !sentTo.isEmpty(), sentTo));
        }, Auth.Level.ADMIN);
    }
}
