package bake

import "bytes"

// WriteChunkForTest exposes writeChunk to the tests that build broken
// images.
func WriteChunkForTest(w *bytes.Buffer, typ string, data []byte) { writeChunk(w, typ, data) }
