package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
)

// decodeJSON reads a request body into dst, strictly: the body must be
// declared as JSON, fit in the server's body limit, hold exactly one JSON
// value, and, when dst is a struct, no member dst does not name. Request
// envelopes whose members are open (credentials) decode into
// map[string]any and check their members themselves.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if err := checkJSONMediaType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	if r.ContentLength > s.maxBody {
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, r.ContentLength, s.maxBody)
	}

	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}

	// Exactly one value: "{...} {...}" or "{...} x" is refused, so no two
	// readers of the same body can disagree about what was sent.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return decodeError(err)
		}
		return fmt.Errorf("%w: data after the JSON value", ErrMalformed)
	}
	return nil
}

// decodeError names the failure of a decode in terms the client can act on.
func decodeError(err error) error {
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	var wrongType *json.UnmarshalTypeError

	switch {
	case errors.As(err, &tooLarge):
		return fmt.Errorf("%w: the limit is %d bytes", ErrTooLarge, tooLarge.Limit)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w: the body is empty", ErrMalformed)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: the JSON value is cut short", ErrMalformed)
	case errors.As(err, &syntax):
		return fmt.Errorf("%w: invalid JSON at byte %d: %w", ErrMalformed, syntax.Offset, err)
	case errors.As(err, &wrongType):
		return fmt.Errorf("%w: %s must be a JSON %s",
			ErrMalformed, fieldName(wrongType), jsonKind(wrongType.Type))
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		// encoding/json reports unknown members with no error type of its own.
		return fmt.Errorf("%w: %s", ErrMalformed, strings.TrimPrefix(err.Error(), "json: "))
	}
	return fmt.Errorf("%w: reading the body: %w", ErrMalformed, err)
}

func fieldName(e *json.UnmarshalTypeError) string {
	if e.Field == "" {
		return "the body"
	}
	return e.Field
}

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	}
	return "number"
}

// checkJSONMediaType accepts application/json and the structured-syntax
// types built on it (application/ld+json, application/vc+ld+json: RFC 6839
// §3.1), in UTF-8 (RFC 8259 §8.1).
func checkJSONMediaType(header string) error {
	if header == "" {
		return fmt.Errorf("%w: no Content-Type; send application/json", ErrMediaType)
	}
	mt, params, err := mime.ParseMediaType(header)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMediaType, err)
	}

	structured := strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
	if mt != "application/json" && !structured {
		return fmt.Errorf("%w: %s; send application/json", ErrMediaType, mt)
	}
	if cs, has := params["charset"]; has && !strings.EqualFold(cs, "utf-8") {
		return fmt.Errorf("%w: charset %s; JSON is UTF-8", ErrMediaType, cs)
	}
	return nil
}

// writeJSON answers with v as JSON. v is encoded before anything is
// written, so an encoding failure can still become a problem answer.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("encoding response: %w", err))
		return
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
