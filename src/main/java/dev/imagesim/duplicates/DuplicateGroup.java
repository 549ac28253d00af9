package dev.imagesim.duplicates;

import java.util.List;

/**
 * Images a scan found to be copies of one another: the representative first (distance 0), then the others by
 * their distance to it, in the method's distance.
 */
public record DuplicateGroup(List<DuplicateMatch> members) {
}
