package io.camserver.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether the admin password was generated, which the first-run guide tells the admin to replace. */
class AdminCredentialTest {
    @TempDir
    Path tmp;

    @Test
    void aGeneratedPasswordStaysGeneratedAcrossStartsAndAChosenOneDoesNot() throws Exception {
        List<String> said = new ArrayList<>();
        AdminCredential first = AdminCredential.resolve(Map.of(), tmp.resolve("data"), said::add);
        assertTrue(first.generated(), first.source());
        assertTrue(said.get(0).startsWith("generated admin password"), said.toString());
        AdminCredential again = AdminCredential.resolve(Map.of(), tmp.resolve("data"), said::add);
        assertTrue(again.generated(), "the next start finds the generated password's hash: " + again.source());
        assertFalse(AdminCredential.resolve(Map.of("CAMSERVER_ADMIN_PASSWORD", "a-chosen-password-123"), tmp.resolve("data"), said::add).generated());
        Path file = Files.writeString(tmp.resolve("pw"), "another-chosen-password\n");
        assertFalse(AdminCredential.resolve(Map.of("CAMSERVER_ADMIN_PASSWORD_FILE", file.toString()), tmp.resolve("data"), said::add).generated());
    }
}
