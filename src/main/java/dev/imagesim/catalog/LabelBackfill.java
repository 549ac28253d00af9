package dev.imagesim.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.stereotype.Component;

/**
 * Migration 5: the labels of the images stored before labels existed (V4 made the table), so that filtered
 * searches find them. Reads the live images a page at a time and inserts their labels in JDBC batches.
 */
@Component
class LabelBackfill implements JavaMigration {

    private static final int BATCH = 1000;

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("5");
    }

    @Override
    public String getDescription() {
        return "image labels of existing images";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement read = connection.createStatement();
                PreparedStatement insert = connection.prepareStatement(LabelRepository.INSERT)) {
            read.setFetchSize(BATCH);
            int pending = 0;
            try (ResultSet images = read.executeQuery("SELECT collection_name, id, metadata FROM images "
                    + "WHERE deleted = FALSE AND metadata IS NOT NULL")) {
                while (images.next()) {
                    for (Object[] row : LabelRepository.rows(images.getString(1), images.getString(2),
                            images.getString(3))) {
                        for (int i = 0; i < row.length; i++) {
                            insert.setObject(i + 1, row[i]);
                        }
                        insert.addBatch();
                        pending++;
                    }
                    if (pending >= BATCH) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }
}
