package dev.imagesim.index;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.imagesim.AtomicFiles;
import dev.imagesim.vector.Distance;

/**
 * A collection index on disk together with the highest catalog sequence number it contains. The file is a
 * small header (magic, format, type, metric, dimension, parameters, sequence number) followed by
 * the index's own ({@link VectorIndex#save}), and is replaced atomically, so a crash leaves the previous snapshot.
 */
public record IndexSnapshot(VectorIndex index, long sequence) {

    private static final int MAGIC = 0x49534958; // "ISIX"
    private static final int FORMAT = 2;

    /** Writes {@code index} (which holds every change up to {@code sequence}) to {@code file}. */
    public static void write(Path file, VectorIndex index, long sequence) throws IOException {
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(out);
            IndexParameters p = index.parameters();
            data.writeInt(MAGIC);
            data.writeInt(FORMAT);
            data.writeUTF(p.type().name());
            data.writeUTF(index.distance().name());
            data.writeInt(index.dimension());
            data.writeInt(p.m());
            data.writeInt(p.efConstruction());
            data.writeInt(p.ef());
            data.writeLong(sequence);
            data.flush();
            index.save(out);
        });
    }

    /** Reads a snapshot; any damage (truncation, foreign file, unknown format) is an {@link IOException}. */
    public static IndexSnapshot read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream data = new DataInputStream(in);
            if (data.readInt() != MAGIC || data.readInt() != FORMAT) {
                throw new IOException(file + " is not an imagesim index snapshot of format " + FORMAT);
            }
            IndexType type = IndexType.valueOf(data.readUTF());
            Distance distance = Distance.valueOf(data.readUTF());
            int dimension = data.readInt();
            IndexParameters parameters = new IndexParameters(type, data.readInt(), data.readInt(), data.readInt());
            long sequence = data.readLong();
            VectorIndex index = VectorIndex.read(in, parameters, distance, dimension);
            return new IndexSnapshot(index, sequence);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException("damaged index snapshot " + file + ": " + e.getMessage(), e);
        }
    }
}
