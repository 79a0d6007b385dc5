package io.camserver.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The labelled face centres of a scene (faces/scenes/*.json). */
public record SceneTruth(Path image, int width, int height, List<Face> faces) {
    public record Face(String name, int cx, int cy) {
    }

    public static SceneTruth load(String name) {
        Path dir = Fixtures.faces().resolve("scenes");
        try {
            JsonNode j = new ObjectMapper().readTree(dir.resolve(name + ".json").toFile());
            List<Face> faces = new ArrayList<>();
            for (JsonNode f : j.get("faces")) {
                faces.add(new Face(f.get("name").asText(), f.get("cx").asInt(), f.get("cy").asInt()));
            }
            return new SceneTruth(dir.resolve(j.get("image").asText()), j.get("width").asInt(), j.get("height").asInt(), faces);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
