package httpapi

import (
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gorilla/mux"
)

// evidenceServed maps each evidence type Laurel accepts to the file name
// extensions that say it; anything else is served as bytes to download.
// Browsers render the first four themselves; the names keep a downloaded
// file from opening as something else (a .html name on a text file would
// open as a page from the reviewer's disk).
var evidenceServed = map[string][]string{
	"application/pdf":          {".pdf"},
	"image/png":                {".png"},
	"image/jpeg":               {".jpg", ".jpeg"},
	"text/plain":               {".txt"},
	"application/octet-stream": {".bin"},
}

// Content-Security-Policy for evidence files. Every file is the
// uploader's, so no script of theirs may run in Laurel's origin.
// Images and text are sandboxed (an opaque origin, no script at all);
// the inline styles are those of the browser's own image page. Chrome
// and Firefox refuse to start their PDF viewers in a sandboxed document,
// so a PDF is not sandboxed: served as application/pdf with nosniff it is
// never parsed as HTML, and its viewer (with the embed object-src allows)
// runs apart from the page.
const (
	evidenceCSP = "default-src 'none'; style-src 'unsafe-inline'; " +
		"frame-ancestors 'none'; sandbox"
	evidencePDFCSP = "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; " +
		"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

// evidenceFile serves an evidence file to a person allowed to see it: its
// owner, reviewers and administrators. The office decides; anyone else
// gets 404, so file ids cannot be probed.
func (s *Server) evidenceFile(w http.ResponseWriter, r *http.Request, v *visit) {
	name, contentType, data, err := s.office.EvidenceFile(v.user(), mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, plainNotFound(err, "this file does not exist, or is not yours to see"))
		return
	}

	for key, values := range evidenceHeaders(name, contentType) {
		w.Header()[key] = values
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// evidenceHeaders are the headers an evidence file is served with: its
// stored type only when it is one Laurel accepts, never sniffed, shown
// in the browser only for PDF and images, and a name that matches the
// type.
func evidenceHeaders(name, stored string) http.Header {
	media, _, _ := mime.ParseMediaType(stored)
	if _, ok := evidenceServed[media]; !ok {
		media = "application/octet-stream"
	}

	h := http.Header{}
	h.Set("Content-Type", media)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", evidenceCSP)

	disposition := "attachment"
	switch media {
	case "text/plain":
		h.Set("Content-Type", "text/plain; charset=utf-8")
	case "application/pdf":
		disposition = "inline"
		h.Set("Content-Security-Policy", evidencePDFCSP)
	case "image/png", "image/jpeg":
		disposition = "inline"
	}
	h.Set("Content-Disposition", evidenceDisposition(disposition, evidenceFilename(name, media)))
	return h
}

// evidenceFilename makes an uploaded name safe to offer: no directories
// and no control characters (bidirectional ones could disguise the
// extension), at most 120 characters before the extension,
// and ending in an extension of the type served.
func evidenceFilename(name, media string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.Trim(strings.TrimSpace(name), ".")
	if runes := []rune(name); len(runes) > 120 {
		name = string(runes[:120])
	}
	if name == "" {
		name = "evidence"
	}

	exts := evidenceServed[media]
	for _, ext := range exts {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return name
		}
	}
	return name + exts[0]
}

// evidenceDisposition writes the header RFC 6266 §4.3 recommends: an ASCII
// filename for old clients, and filename* (RFC 8187) with the real name
// in UTF-8 for the rest.
func evidenceDisposition(disposition, name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`,
		disposition, ascii, encodeRFC8187(name))
}

// encodeRFC8187 percent-encodes every byte of s that is not an attr-char
// (RFC 8187 §3.2.1).
func encodeRFC8187(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// isAttrChar reports whether c may stand unencoded in an RFC 8187 value.
func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
