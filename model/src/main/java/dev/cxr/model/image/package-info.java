/** Image decoding to 8-bit RGB, OpenCV-exact resizing and the two preprocessing modes. */
package dev.cxr.model.image;
