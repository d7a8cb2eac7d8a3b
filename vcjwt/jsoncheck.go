package vcjwt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jsonFrame is one open object or array while checking JSON; names is nil for arrays.
type jsonFrame struct {
	names    map[string]bool
	wantName bool
}

// checkJSON walks data token by token and stops at the first object or array nested
// deeper than maxDepth, so that a hostile document is refused before it is decoded. It
// also refuses duplicate member names: RFC 7515 §4 and RFC 7519 §4 allow a parser to
// reject them, and doing so means no two readers can see different claims.
func checkJSON(data []byte, maxDepth int) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()

	var stack []*jsonFrame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading token: %w", err)
		}

		top := topFrame(stack)
		if name, ok := tok.(string); ok && top != nil && top.wantName {
			if top.names[name] {
				return fmt.Errorf("duplicate member %q", name)
			}
			top.names[name] = true
			top.wantName = false
			continue
		}

		stack, err = step(stack, tok, maxDepth)
		if err != nil {
			return err
		}
	}
}

// step opens or closes a frame for a delimiter and marks the end of a value.
func step(stack []*jsonFrame, tok json.Token, maxDepth int) ([]*jsonFrame, error) {
	switch tok {
	case json.Delim('{'), json.Delim('['):
		if len(stack) >= maxDepth {
			return nil, fmt.Errorf("nesting deeper than %d", maxDepth)
		}
		frame := &jsonFrame{}
		if tok == json.Delim('{') {
			frame.names = map[string]bool{}
			frame.wantName = true
		}
		return append(stack, frame), nil
	case json.Delim('}'), json.Delim(']'):
		stack = stack[:len(stack)-1]
	}

	// A value just ended: in an object, a member name comes next.
	if top := topFrame(stack); top != nil && top.names != nil {
		top.wantName = true
	}
	return stack, nil
}

// topFrame returns the innermost open frame, or nil at top level.
func topFrame(stack []*jsonFrame) *jsonFrame {
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1]
}
