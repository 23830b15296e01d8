package org.newbornregistry.fhir.search;

import org.flywaydb.core.api.migration.Context;
import org.newbornregistry.fhir.database.BeanJavaMigration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * V16: deletes the search index rows of the parameters the registry no longer serves
 * ({@link ServedSearchParameters}): until then every parameter of the specification was indexed,
 * about 115 rows for each birth, most of which no one searched. Java, because the served
 * parameters are the registry's, not a list SQL could repeat.
 */
public class UnservedSearchRowsMigration extends BeanJavaMigration {

    private static final List<String> TABLES = List.of("idx_token", "idx_string", "idx_date", "idx_reference", "idx_uri");

    private final SearchParameterRegistry registry;

    public UnservedSearchRowsMigration(SearchParameterRegistry registry) {
        super("16", "index rows of unserved search parameters deleted");
        this.registry = registry;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        List<String> types = List.copyOf(registry.resourceTypes());
        List<String> served = types.stream()
                .flatMap(type -> registry.parameters(type).stream().map(p -> type + "|" + p.name())).toList();
        for (String table : TABLES) {
            try (PreparedStatement delete = connection.prepareStatement("delete from " + table
                    + " where res_type = any (?) and res_type || '|' || param <> all (?)")) {
                delete.setArray(1, connection.createArrayOf("text", types.toArray()));
                delete.setArray(2, connection.createArrayOf("text", served.toArray()));
                delete.executeUpdate();
            }
        }
    }
}
