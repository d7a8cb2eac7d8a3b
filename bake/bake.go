// Package bake puts a credential into a badge image and takes it out again
// (Open Badges 3.0 §5.3, "Baking"): a PNG carries it in an iTXt chunk with
// the keyword openbadgecredential, an SVG in an openbadges:credential
// element, as JSON (CDATA) or as a VC-JWT (the verify attribute).
//
// Unbaking reads untrusted files, so every size is bounded before it is
// used: the image, each chunk, the number of chunks, and the decompressed
// credential.
package bake

import (
	"bytes"
	"errors"
)

// Outcomes callers check with errors.Is.
var (
	// ErrFormat reports a file that is not a PNG or SVG image.
	ErrFormat = errors.New("not a PNG or SVG image")
	// ErrNoCredential reports an image without a baked credential.
	ErrNoCredential = errors.New("image holds no baked credential")
	// ErrTooLarge reports an image, chunk or credential over its limit.
	ErrTooLarge = errors.New("baked image exceeds a limit")
	// ErrMalformed reports a damaged image or credential element.
	ErrMalformed = errors.New("malformed baked image")
)

// Limits on what is read; a badge image is small.
const (
	// MaxImage bounds the whole image file.
	MaxImage = 8 << 20
	// MaxCredential bounds the baked credential, after decompression.
	MaxCredential = 1 << 20
	// maxChunks bounds the number of PNG chunks walked.
	maxChunks = 4096
)

// Namespace and names from OB 3.0 §5.3.
const (
	pngKeyword   = "openbadgecredential"
	svgNamespace = "https://purl.imsglobal.org/ob/v3p0"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// Unbake returns the credential baked into a PNG or SVG image: JSON text
// or a compact JWS, exactly as baked.
func Unbake(image []byte) ([]byte, error) {
	if len(image) > MaxImage {
		return nil, ErrTooLarge
	}
	switch {
	case bytes.HasPrefix(image, pngSignature):
		return unbakePNG(image)
	case looksLikeSVG(image):
		return unbakeSVG(image)
	}
	return nil, ErrFormat
}

// Bake returns a copy of image with credential (JSON text or a compact
// JWS) baked in, replacing any credential baked before.
func Bake(image, credential []byte) ([]byte, error) {
	if len(credential) == 0 || len(credential) > MaxCredential {
		return nil, ErrTooLarge
	}
	switch {
	case bytes.HasPrefix(image, pngSignature):
		return bakePNG(image, credential)
	case looksLikeSVG(image):
		return bakeSVG(image, credential)
	}
	return nil, ErrFormat
}

// isJWT tells a compact JWS (three base64url segments) from JSON text.
// Only those characters pass, so a JWT is safe in an XML attribute.
func isJWT(credential []byte) bool {
	trimmed := bytes.TrimSpace(credential)
	if bytes.Count(trimmed, []byte(".")) != 2 {
		return false
	}
	for _, c := range trimmed {
		ok := c == '.' || c == '-' || c == '_' || (c >= '0' && c <= '9') ||
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}

func looksLikeSVG(image []byte) bool {
	head := image[:min(len(image), 1024)]
	return bytes.Contains(head, []byte("<svg"))
}
