/**
 * Training objectives: what a batch of embeddings is scored by. Softmax and center loss train a classifier
 * head beside the embedding; contrastive and triplet losses act on L2-normalised embeddings, the space the
 * service searches in; autoencoders reconstruct their input through a decoder head.
 */
package dev.imagesim.training.objective;
