/** Writing outputs safely: a temporary name in the same folder renamed into place, and checking an output folder early. */
package dev.cxr.model.files;
