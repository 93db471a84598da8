package sergeant

import (
	"encoding/hex"
	"math"
	"reflect"
	"testing"
	"time"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Bytes written by the Python encoder (sergeant/encoder.py) decode to the documented Go values.
func TestUnmarshalPythonEncodings(t *testing.T) {
	cases := []struct {
		name, hex string
		want      any
	}{
		{"tuples and sets become lists", "84a174d6019201a161a173d5029103a166d5039104a66e6573746564c7050191d5029101",
			map[string]any{"t": []any{int64(1), "a"}, "s": []any{int64(3)}, "f": []any{int64(4)},
				"nested": []any{[]any{int64(1)}}}},
		{"timestamp 64", "81a26174d7ff1d6f2800663881d9",
			map[string]any{"at": time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)}},
		{"timestamp 96, before 1970", "81a26174c70cff00000000ffffffff7e36b500",
			map[string]any{"at": time.Date(1901, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"int keys", "81a16d8201a36f6e65fea96d696e75732074776f",
			map[string]any{"m": map[any]any{int64(1): "one", int64(-2): "minus two"}}},
		{"64-bit edges", "85a36d696ed38000000000000000a36d6178cfffffffffffffffffa3693633cf7fffffffffffffffa47a65726f00a36e6567ff",
			map[string]any{"min": int64(math.MinInt64), "max": uint64(math.MaxUint64), "i63": int64(math.MaxInt64),
				"zero": int64(0), "neg": int64(-1)}},
		{"bytes", "82a162c40200ffa165c400", map[string]any{"b": []byte{0, 0xff}, "e": []byte{}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Unmarshal(mustHex(t, c.hex))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v\nwant %#v", got, c.want)
			}
		})
	}
}

func TestMarshalIsCompactAndSorted(t *testing.T) {
	got, err := Marshal(map[string]any{"b": 1, "a": int64(-1), "c": uint64(math.MaxUint64)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "83a161ffa16201a163cfffffffffffffffff"; hex.EncodeToString(got) != want {
		t.Fatalf("got %x, want %s", got, want)
	}
	// What the Python client sends for {"to": "alice"} (docs/grpcurl.md).
	got, _ = Marshal(map[string]any{"to": "alice"})
	if want := "81a2746fa5616c696365"; hex.EncodeToString(got) != want {
		t.Fatalf("got %x, want %s", got, want)
	}
}

func TestMarshalTimeIsTimestampExt(t *testing.T) {
	at := time.Date(2024, 5, 6, 9, 8, 9, 123456000, time.FixedZone("CEST", 2*3600)) // 07:08:09 UTC
	got, err := Marshal(map[string]any{"at": at})
	if err != nil {
		t.Fatal(err)
	}
	if want := "81a26174d7ff1d6f2800663881d9"; hex.EncodeToString(got) != want {
		t.Fatalf("got %x, want the Python encoding %s", got, want)
	}
	back, _ := Unmarshal(got)
	if bt := back.(map[string]any)["at"].(time.Time); !bt.Equal(at) || bt.Location() != time.UTC {
		t.Fatalf("decoded %v", bt)
	}
}

func TestRoundTripEveryType(t *testing.T) {
	in := map[string]any{
		"nil": nil, "true": true, "false": false,
		"int": int64(-5), "min": int64(math.MinInt64), "max": int64(math.MaxInt64), "umax": uint64(math.MaxUint64),
		"float": 1.5, "inf": math.Inf(-1), "tiny": 5e-324,
		"str": "héllo 日本 🎉", "empty": "", "bytes": []byte{1, 2, 3}, "nobytes": []byte{},
		"list":  []any{int64(1), "two", []any{}, map[string]any{}},
		"map":   map[string]any{"nested": map[string]any{"deeper": []any{nil}}},
		"ikeys": map[any]any{int64(1): "one", true: "yes"},
		"time":  time.Unix(1e9, 1).UTC(),
		"ext":   &Ext{Type: 42, Data: []byte("raw")},
	}
	b, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Fatalf("got %#v\nwant %#v", out, in)
	}
}

func TestGoTypesNormalise(t *testing.T) {
	type point struct {
		X int     `msgpack:"x"`
		Y float32 `msgpack:"y"`
	}
	b, err := Marshal(map[string]any{"p": point{1, 0.5}, "ints": []int{1, 2}, "u8": uint8(200), "f32": float32(0.25),
		"strs": map[string]string{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := Unmarshal(b)
	want := map[string]any{"p": map[string]any{"x": int64(1), "y": 0.5}, "ints": []any{int64(1), int64(2)},
		"u8": int64(200), "f32": 0.25, "strs": map[string]any{"k": "v"}}
	if !reflect.DeepEqual(out, want) {
		t.Fatalf("got %#v\nwant %#v", out, want)
	}
}

func TestUnmarshalRejectsBadInput(t *testing.T) {
	for name, h := range map[string]string{
		"truncated":     "82a161",
		"trailing":      "c0c0",
		"unhashable":    "81c40161c0", // {b"a": nil}: a bin key
		"bad timestamp": "d5ff0000",   // fixext2 -1
		"tuple not arr": "d50101c0",   // ext 1 holding an int
		"reserved code": "c1",
	} {
		if _, err := Unmarshal(mustHex(t, h)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDecodeOptional(t *testing.T) {
	if v, err := decodeOptional(nil); v != nil || err != nil {
		t.Fatalf("got %v %v", v, err)
	}
}
