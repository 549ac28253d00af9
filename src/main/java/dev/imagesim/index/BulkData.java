package dev.imagesim.index;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Writes and reads runs of floats through a byte buffer, not one stream call per number. */
final class BulkData {

    private static final int CHUNK_BYTES = 1 << 16;

    private final byte[] bytes = new byte[CHUNK_BYTES];
    private final ByteBuffer buffer = ByteBuffer.wrap(bytes);

    void writeFloats(DataOutputStream out, float[] values, int offset, int count) throws IOException {
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, CHUNK_BYTES / Float.BYTES);
            buffer.clear();
            buffer.asFloatBuffer().put(values, offset + done, n);
            out.write(bytes, 0, n * Float.BYTES);
            done += n;
        }
    }

    void readFloats(DataInputStream in, float[] values, int offset, int count) throws IOException {
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, CHUNK_BYTES / Float.BYTES);
            in.readFully(bytes, 0, n * Float.BYTES);
            buffer.clear();
            buffer.asFloatBuffer().get(values, offset + done, n);
            done += n;
        }
    }
}
