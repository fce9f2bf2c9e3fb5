/** Implementation details shared by PhiSync packages; nothing here is public API. */
@NullMarked
package io.phisync.internal;

import org.jspecify.annotations.NullMarked;
