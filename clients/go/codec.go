package sergeant

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// Ext ids that Python producers and workers use for the types msgpack lacks (see sergeant/encoder.py).
const (
	extTimestamp = -1 // the standard msgpack Timestamp
	extTuple     = 1  // payload: a msgpack array of the elements
	extSet       = 2
	extFrozenset = 3
)

// Ext is a msgpack extension value this client does not interpret. It encodes back unchanged.
type Ext struct {
	Type int8
	Data []byte
}

var _ msgpack.CustomEncoder = (*Ext)(nil)

// EncodeMsgpack writes the extension as it was read.
func (x *Ext) EncodeMsgpack(enc *msgpack.Encoder) error {
	if err := enc.EncodeExtHeader(x.Type, len(x.Data)); err != nil {
		return err
	}
	_, err := enc.Writer().Write(x.Data)
	return err
}

// Marshal encodes a value as the gateway and workers expect it: msgpack with compact integers and sorted map keys
// (so equal maps give equal bytes). time.Time becomes the standard Timestamp extension (-1).
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	enc.UseCompactInts(true)
	enc.SetSortMapKeys(true)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Unmarshal decodes msgpack into plain Go values:
//
//	nil                      nil
//	bool                     bool
//	int (any width)          int64, or uint64 above math.MaxInt64
//	float 32/64              float64
//	str                      string
//	bin                      []byte
//	array                    []any
//	map                      map[string]any when every key is a string, else map[any]any
//	ext -1 (Timestamp)       time.Time in UTC
//	ext 1, 2, 3 (Python      []any (a tuple, set or frozenset arrives as a list)
//	tuple, set, frozenset)
//	any other ext            *Ext
//
// To decode into your own types instead, use msgpack.Unmarshal on the raw bytes (Event.RawResult, ResultInto).
func Unmarshal(data []byte) (any, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(data))
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.PeekCode(); err == nil {
		return nil, fmt.Errorf("msgpack: trailing bytes after the value")
	}
	return v, nil
}

const maxDepth = 10_000

func decodeValue(d *msgpack.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("msgpack: nested deeper than %d", maxDepth)
	}
	c, err := d.PeekCode()
	if err != nil {
		return nil, err
	}
	switch {
	case c == msgpcode.Nil:
		return nil, d.DecodeNil()
	case c == msgpcode.True || c == msgpcode.False:
		return d.DecodeBool()
	case msgpcode.IsFixedNum(c) || (c >= msgpcode.Int8 && c <= msgpcode.Int64):
		return d.DecodeInt64()
	case c >= msgpcode.Uint8 && c <= msgpcode.Uint64:
		n, err := d.DecodeUint64()
		if err != nil {
			return nil, err
		}
		if n <= math.MaxInt64 {
			return int64(n), nil
		}
		return n, nil
	case c == msgpcode.Float || c == msgpcode.Double:
		return d.DecodeFloat64()
	case msgpcode.IsString(c):
		return d.DecodeString()
	case msgpcode.IsBin(c):
		b, err := d.DecodeBytes()
		if b == nil && err == nil {
			b = []byte{}
		}
		return b, err
	case msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32:
		return decodeArray(d, depth)
	case msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32:
		return decodeMap(d, depth)
	case msgpcode.IsExt(c):
		return decodeExt(d, depth)
	}
	return nil, fmt.Errorf("msgpack: unknown code 0x%x", c)
}

func decodeArray(d *msgpack.Decoder, depth int) (any, error) {
	n, err := d.DecodeArrayLen()
	if err != nil || n < 0 {
		return nil, err
	}
	out := make([]any, 0, min(n, 1<<16))
	for range n {
		v, err := decodeValue(d, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func decodeMap(d *msgpack.Decoder, depth int) (any, error) {
	n, err := d.DecodeMapLen()
	if err != nil || n < 0 {
		return nil, err
	}
	keys := make([]any, 0, min(n, 1<<16))
	values := make([]any, 0, min(n, 1<<16))
	allStrings := true
	for range n {
		k, err := decodeValue(d, depth+1)
		if err != nil {
			return nil, err
		}
		v, err := decodeValue(d, depth+1)
		if err != nil {
			return nil, err
		}
		switch k.(type) {
		case string:
		case nil, bool, int64, uint64, float64, time.Time:
			allStrings = false
		default: // []byte, []any, maps, *Ext: not comparable as a Go map key
			return nil, fmt.Errorf("msgpack: a map key of type %T cannot be a Go map key", k)
		}
		keys, values = append(keys, k), append(values, v)
	}
	if allStrings {
		m := make(map[string]any, len(keys))
		for i, k := range keys {
			m[k.(string)] = values[i]
		}
		return m, nil
	}
	m := make(map[any]any, len(keys))
	for i, k := range keys {
		m[k] = values[i]
	}
	return m, nil
}

func decodeExt(d *msgpack.Decoder, depth int) (any, error) {
	id, n, err := d.DecodeExtHeader()
	if err != nil {
		return nil, err
	}
	data := make([]byte, n)
	if err := d.ReadFull(data); err != nil {
		return nil, err
	}
	switch id {
	case extTimestamp:
		return decodeTimestamp(data)
	case extTuple, extSet, extFrozenset:
		inner := msgpack.NewDecoder(bytes.NewReader(data))
		v, err := decodeValue(inner, depth+1)
		if err != nil {
			return nil, err
		}
		if _, ok := v.([]any); !ok {
			return nil, fmt.Errorf("msgpack: ext %d holds %T, not an array", id, v)
		}
		return v, nil
	}
	return &Ext{Type: id, Data: data}, nil
}

// decodeTimestamp reads the three layouts of the msgpack Timestamp extension.
func decodeTimestamp(b []byte) (time.Time, error) {
	switch len(b) {
	case 4:
		return time.Unix(int64(binary.BigEndian.Uint32(b)), 0).UTC(), nil
	case 8:
		v := binary.BigEndian.Uint64(b)
		return time.Unix(int64(v&0x3_ffff_ffff), int64(v>>34)).UTC(), nil
	case 12:
		ns := binary.BigEndian.Uint32(b[:4])
		return time.Unix(int64(binary.BigEndian.Uint64(b[4:])), int64(ns)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("msgpack: a timestamp of %d bytes", len(b))
}

// decodeOptional decodes bytes that may be empty (no result, no progress data): empty gives nil.
func decodeOptional(b []byte) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	return Unmarshal(b)
}
