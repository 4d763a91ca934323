package io.hookrail.validate;

/**
 * A file to validate: its name as problems cite it (a path, or {@code classpath:routes/x.camel.yaml}) and its text.
 */
public record ValidatedFile(String name, String text) {

    public boolean isRoutes() {
        return name.endsWith(".camel.yaml");
    }

    public boolean isKamelet() {
        return name.endsWith(".kamelet.yaml");
    }

    public boolean isSchema() {
        return name.endsWith(".json") && name.contains("schemas/");
    }

    public boolean isProperties() {
        return name.endsWith("application.properties");
    }

    public boolean isPolicies() {
        return name.endsWith("policies.yaml");
    }
}
