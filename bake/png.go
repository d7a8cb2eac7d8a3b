package bake

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
)

// chunk is one PNG chunk (PNG §5.3): its type and data.
type chunk struct {
	typ  string
	data []byte
}

// readChunks walks a PNG's chunks after the signature, checking lengths
// and CRCs, up to IEND.
func readChunks(image []byte) ([]chunk, error) {
	var chunks []chunk
	rest := image[len(pngSignature):]
	for len(chunks) < maxChunks {
		if len(rest) < 12 {
			return nil, fmt.Errorf("%w: PNG chunk cut short", ErrMalformed)
		}
		n := binary.BigEndian.Uint32(rest)
		if uint64(n) > uint64(len(rest)-12) {
			return nil, fmt.Errorf("%w: PNG chunk length past the end", ErrMalformed)
		}

		typ, data := string(rest[4:8]), rest[8:8+n]
		if crc32.ChecksumIEEE(rest[4:8+n]) != binary.BigEndian.Uint32(rest[8+n:]) {
			return nil, fmt.Errorf("%w: PNG chunk %q has a bad CRC", ErrMalformed, typ)
		}
		chunks = append(chunks, chunk{typ: typ, data: data})
		rest = rest[12+n:]
		if typ == "IEND" {
			return chunks, nil
		}
	}
	return nil, fmt.Errorf("%w: more than %d PNG chunks", ErrTooLarge, maxChunks)
}

func unbakePNG(image []byte) ([]byte, error) {
	chunks, err := readChunks(image)
	if err != nil {
		return nil, err
	}
	for _, c := range chunks {
		if c.typ != "iTXt" {
			continue
		}
		if text, ok, err := credentialText(c.data); ok || err != nil {
			return text, err
		}
	}
	return nil, ErrNoCredential
}

// credentialText reads an iTXt chunk (PNG §11.3.4.5): keyword, NUL,
// compression flag and method, language tag, NUL, translated keyword, NUL,
// text. It reports ok when the keyword is openbadgecredential.
func credentialText(data []byte) ([]byte, bool, error) {
	keyword, rest, found := bytes.Cut(data, []byte{0})
	if !found || string(keyword) != pngKeyword {
		return nil, false, nil
	}
	if len(rest) < 2 {
		return nil, true, fmt.Errorf("%w: iTXt chunk cut short", ErrMalformed)
	}

	compressed := rest[0] == 1
	_, rest, ok1 := bytes.Cut(rest[2:], []byte{0})
	_, text, ok2 := bytes.Cut(rest, []byte{0})
	if !ok1 || !ok2 {
		return nil, true, fmt.Errorf("%w: iTXt chunk without its text", ErrMalformed)
	}
	if !compressed {
		if len(text) > MaxCredential {
			return nil, true, ErrTooLarge
		}
		return bytes.Clone(text), true, nil
	}
	return inflate(text)
}

// inflate decompresses a zlib stream, stopping past MaxCredential bytes so
// a compression bomb costs nothing.
func inflate(data []byte) ([]byte, bool, error) {
	r, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, true, fmt.Errorf("%w: iTXt text: %w", ErrMalformed, err)
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, MaxCredential+1))
	if err != nil {
		return nil, true, fmt.Errorf("%w: iTXt text: %w", ErrMalformed, err)
	}
	if len(out) > MaxCredential {
		return nil, true, ErrTooLarge
	}
	return out, true, nil
}

// bakePNG writes the credential as an uncompressed iTXt chunk just before
// IEND, dropping any credential chunk already there.
func bakePNG(image, credential []byte) ([]byte, error) {
	chunks, err := readChunks(image)
	if err != nil {
		return nil, err
	}

	var out bytes.Buffer
	out.Write(pngSignature)
	for _, c := range chunks {
		if c.typ == "iTXt" && bytes.HasPrefix(c.data, []byte(pngKeyword+"\x00")) {
			continue
		}
		if c.typ == "IEND" {
			writeChunk(&out, "iTXt", append([]byte(pngKeyword+"\x00\x00\x00\x00\x00"), credential...))
		}
		writeChunk(&out, c.typ, c.data)
	}
	return out.Bytes(), nil
}

func writeChunk(w *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	start := w.Len()
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc32.ChecksumIEEE(w.Bytes()[start:]))
	w.Write(n[:])
}
