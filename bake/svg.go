package bake

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// svgElement is where an element sits in the file, by byte offsets.
type svgElement struct {
	start, end int
}

// svgScan is what baking and unbaking need to know of an SVG: its root
// start tag and any credential element.
type svgScan struct {
	rootStart, rootEnd int
	rootHasNS          bool
	credential         *svgElement
	verify             string
	hasVerify          bool
	text               bytes.Buffer
}

// scanSVG walks the document once with a strict XML decoder (which never
// expands external entities), noting the root element and the first
// openbadges:credential element.
func scanSVG(image []byte) (*svgScan, error) {
	dec := xml.NewDecoder(bytes.NewReader(image))
	s := &svgScan{rootStart: -1}
	depth, inCredential := 0, false
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if s.text.Len() > MaxCredential {
			return nil, ErrTooLarge
		}

		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			s.start(t, before, int(dec.InputOffset()), &inCredential)
		case xml.EndElement:
			depth--
			if inCredential && isCredential(t.Name) {
				inCredential = false
				s.credential.end = int(dec.InputOffset())
			}
		case xml.CharData:
			if inCredential {
				s.text.Write(t)
			}
		}
	}
	if s.rootStart < 0 || depth != 0 {
		return nil, ErrFormat
	}
	return s, nil
}

func (s *svgScan) start(t xml.StartElement, before, after int, inCredential *bool) {
	if s.rootStart < 0 {
		s.rootStart, s.rootEnd = before, after
		for _, a := range t.Attr {
			if a.Name.Space == "xmlns" && a.Name.Local == "openbadges" {
				s.rootHasNS = true
			}
		}
		return
	}
	if s.credential != nil || !isCredential(t.Name) {
		return
	}

	s.credential = &svgElement{start: before, end: after}
	*inCredential = true
	for _, a := range t.Attr {
		if a.Name.Local == "verify" {
			s.verify, s.hasVerify = a.Value, true
		}
	}
}

func isCredential(n xml.Name) bool {
	return n.Space == svgNamespace && n.Local == "credential"
}

func unbakeSVG(image []byte) ([]byte, error) {
	s, err := scanSVG(image)
	if err != nil {
		return nil, err
	}
	switch {
	case s.credential == nil:
		return nil, ErrNoCredential
	case s.hasVerify:
		return []byte(strings.TrimSpace(s.verify)), nil
	}

	text := bytes.TrimSpace(s.text.Bytes())
	if len(text) == 0 {
		return nil, fmt.Errorf("%w: empty credential element", ErrMalformed)
	}
	return bytes.Clone(text), nil
}

// bakeSVG puts the credential element first inside the root element,
// declaring the openbadges namespace on the root when it is missing, and
// drops a credential element baked before.
func bakeSVG(image, credential []byte) ([]byte, error) {
	s, err := scanSVG(image)
	if err != nil {
		return nil, err
	}

	body := image
	if s.credential != nil {
		body = append(bytes.Clone(image[:s.credential.start]), image[s.credential.end:]...)
	}
	rootTag := string(image[s.rootStart:s.rootEnd])
	selfClosing := strings.HasSuffix(rootTag, "/>")
	open := strings.TrimSuffix(strings.TrimSuffix(rootTag, ">"), "/")
	if !s.rootHasNS {
		open += ` xmlns:openbadges="` + svgNamespace + `"`
	}

	var out bytes.Buffer
	out.Write(body[:s.rootStart])
	out.WriteString(open + ">\n  ")
	out.WriteString(credentialElement(credential))
	if selfClosing {
		out.WriteString("\n</svg>")
	}
	out.Write(body[s.rootEnd:])
	return out.Bytes(), nil
}

// credentialElement writes a JWT as the verify attribute and JSON as CDATA
// (a "]]>" inside the JSON is split across two CDATA sections).
func credentialElement(credential []byte) string {
	if isJWT(credential) {
		return `<openbadges:credential verify="` + string(bytes.TrimSpace(credential)) + `"/>`
	}
	safe := strings.ReplaceAll(string(credential), "]]>", "]]]]><![CDATA[>")
	return "<openbadges:credential><![CDATA[" + safe + "]]></openbadges:credential>"
}
