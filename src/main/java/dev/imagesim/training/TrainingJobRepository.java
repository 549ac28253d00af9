package dev.imagesim.training;

import static dev.imagesim.SqlValues.instant;
import static dev.imagesim.SqlValues.message;
import static dev.imagesim.SqlValues.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code training_jobs} table; requests, progress and epoch reports are stored as JSON text. */
@Repository
class TrainingJobRepository {

    private static final TypeReference<List<EpochReport>> REPORTS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    TrainingJobRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(TrainingJob job) {
        jdbc.sql("INSERT INTO training_jobs (id, state, request, progress, epochs, model_id, error, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(job.id(), job.state().name(), json.writeValueAsString(job.request()), null,
                        json.writeValueAsString(job.epochs()), job.modelId(), null, timestamp(job.createdAt()))
                .update();
    }

    void update(TrainingJob job) {
        jdbc.sql("UPDATE training_jobs SET state = ?, progress = ?, epochs = ?, error = ?, started_at = ?, "
                        + "finished_at = ? WHERE id = ?")
                .params(job.state().name(), job.progress() == null ? null : json.writeValueAsString(job.progress()),
                        json.writeValueAsString(job.epochs()), message(job.error()), timestamp(job.startedAt()),
                        timestamp(job.finishedAt()), job.id())
                .update();
    }

    Optional<TrainingJob> find(String id) {
        return jdbc.sql("SELECT * FROM training_jobs WHERE id = ?").param(id).query(this::map).optional();
    }

    List<TrainingJob> list() {
        return jdbc.sql("SELECT * FROM training_jobs ORDER BY created_at DESC, id").query(this::map).list();
    }

    /** Marks jobs left queued or running by a previous process as interrupted; returns how many. */
    int interruptUnfinished(Instant at) {
        return jdbc.sql("UPDATE training_jobs SET state = ?, finished_at = ? WHERE state IN (?, ?)")
                .params(JobState.INTERRUPTED.name(), timestamp(at), JobState.QUEUED.name(), JobState.RUNNING.name())
                .update();
    }

    private TrainingJob map(ResultSet rs, int row) throws SQLException {
        String progress = rs.getString("progress");
        return new TrainingJob(rs.getString("id"), JobState.valueOf(rs.getString("state")),
                json.readValue(rs.getString("request"), TrainingRequest.class),
                progress == null ? null : json.readValue(progress, TrainingProgress.class),
                json.readValue(rs.getString("epochs"), REPORTS), rs.getString("model_id"), rs.getString("error"),
                instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
    }
}
