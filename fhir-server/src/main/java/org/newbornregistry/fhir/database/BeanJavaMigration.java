package org.newbornregistry.fhir.database;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.BaseJavaMigration;

/**
 * A Flyway Java migration that is a Spring bean (Spring Boot hands JavaMigration beans to Flyway),
 * for migrations that need the application's own parts — a key the database never sees, the
 * search-parameter registry. It states its version and description instead of encoding them in a
 * {@code V<n>__<description>} class name.
 */
public abstract class BeanJavaMigration extends BaseJavaMigration {

    private final MigrationVersion version;
    private final String description;

    protected BeanJavaMigration(String version, String description) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
    }

    /** Why empty: Flyway's own reads the version from the class name, which these do not carry. */
    @Override
    protected final void init() {
    }

    @Override
    public final MigrationVersion getVersion() {
        return version;
    }

    @Override
    public final String getDescription() {
        return description;
    }
}
