package dev.imagesim.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.imagesim.RequestLimits;
import dev.imagesim.ZipArchive;

/**
 * Turns the files of a batch upload into batch items: a file's id is its name without directory and
 * extension, and a zip archive is expanded into one item per entry (named the same way), within the request
 * limits; each item gets its metadata by id.
 */
@Component
public class Uploads {

    /** One uploaded file: the name the client gave it (may be null) and its bytes. */
    public record Upload(String fileName, byte[] bytes) {
    }

    private final RequestLimits limits;

    public Uploads(RequestLimits limits) {
        this.limits = limits;
    }

    /** The items of the uploads, in order; refuses none or more than {@code max-images-per-request}. */
    public List<BatchItem> items(List<Upload> uploads, Map<String, String> metadataById) {
        List<BatchItem> items = new ArrayList<>();
        for (Upload upload : uploads) {
            if (ZipArchive.isZip(upload.bytes())) {
                for (ZipArchive.Entry entry : ZipArchive.expand(upload.bytes(), ZipArchive.Limits.of(limits))) {
                    items.add(new BatchItem(entry.name(), entry.bytes(), metadataById.get(entry.name())));
                }
            } else {
                String id = idFromFileName(upload.fileName());
                items.add(new BatchItem(id, upload.bytes(), metadataById.get(id)));
            }
        }
        limits.requireImageCount(items.size());
        return items;
    }

    /** The file's name without directory and extension; null for none. */
    static String idFromFileName(String fileName) {
        if (fileName == null) {
            return null;
        }
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }
}
