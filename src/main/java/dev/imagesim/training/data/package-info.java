/**
 * Labelled images to train on: IDX files, ImageFolder directories, zips and collections, all confined to
 * the configured dataset root; splits into training, validation and held-out classes; P×K sampling and
 * light augmentation.
 */
package dev.imagesim.training.data;
