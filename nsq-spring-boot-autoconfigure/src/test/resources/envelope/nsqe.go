// Reads and writes NSQE v1 envelopes with the standard library only.
// Usage: nsqe decode <hex>            prints each header as key=value, then payload=<payload>
//        nsqe encode <payload> k=v...  prints the envelope as hex
package main

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

type Header struct{ Key, Value string }

func Decode(body []byte) ([]Header, []byte, error) {
	if len(body) < 5 || string(body[:4]) != "NSQE" || body[4] != 1 {
		return nil, body, nil // not an envelope: a plain payload
	}
	if len(body) < 7 {
		return nil, nil, errors.New("header count at offset 5 runs past the end")
	}
	count := int(binary.BigEndian.Uint16(body[5:7]))
	off := 7
	next := func() (string, error) {
		if off+2 > len(body) {
			return "", fmt.Errorf("length at offset %d runs past the end", off)
		}
		n := int(binary.BigEndian.Uint16(body[off : off+2]))
		if off+2+n > len(body) {
			return "", fmt.Errorf("string at offset %d runs past the end", off+2)
		}
		s := string(body[off+2 : off+2+n])
		off += 2 + n
		return s, nil
	}
	headers := make([]Header, 0, count)
	for i := 0; i < count; i++ {
		k, err := next()
		if err != nil {
			return nil, nil, err
		}
		v, err := next()
		if err != nil {
			return nil, nil, err
		}
		headers = append(headers, Header{k, v})
	}
	return headers, body[off:], nil
}

func Encode(headers []Header, payload []byte) ([]byte, error) {
	body := append([]byte("NSQE\x01"), 0, 0)
	binary.BigEndian.PutUint16(body[5:], uint16(len(headers)))
	for _, h := range headers {
		for _, s := range []string{h.Key, h.Value} {
			if len(s) > 0xFFFF {
				return nil, errors.New("header too long: " + h.Key)
			}
			body = binary.BigEndian.AppendUint16(body, uint16(len(s)))
			body = append(body, s...)
		}
	}
	return append(body, payload...), nil
}

func main() {
	switch os.Args[1] {
	case "decode":
		raw, err := hex.DecodeString(os.Args[2])
		if err != nil {
			panic(err)
		}
		headers, payload, err := Decode(raw)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(2)
		}
		for _, h := range headers {
			fmt.Printf("%s=%s\n", h.Key, h.Value)
		}
		fmt.Printf("payload=%s\n", payload)
	case "encode":
		var headers []Header
		for _, kv := range os.Args[3:] {
			k, v, _ := strings.Cut(kv, "=")
			headers = append(headers, Header{k, v})
		}
		body, err := Encode(headers, []byte(os.Args[2]))
		if err != nil {
			panic(err)
		}
		fmt.Println(hex.EncodeToString(body))
	}
}
