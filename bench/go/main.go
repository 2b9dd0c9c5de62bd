// The official Go signer next to camskit's native row of the one table (bench/all.sh):
// github.com/aliyun/alibaba-cloud-sdk-go (the SDK the aliyun CLI is built on) signing the same
// ChatappMigrationRegister request with RPC 1.0. It draws its own time and nonce per request
// (the SDK offers no way to give them), as a program sending requests does.
//
//	go run . sign ROUNDS SLICE_MS   # JSON lines: official_sign_v1, official_parse (host "Rust")
//	go run . once                   # one signed request, then exit (the cold-start probe)
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/signers"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

const seedAnswer = `{"RequestId":"90E63D28-E31D-1EB2-8939-A9486641****","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}`

// The shape the SDK's generated clients give an answer (a struct per operation, filled by
// encoding/json).
type chatappMigrationRegisterResponse struct {
	RequestId          string `json:"RequestId"`
	Code               string `json:"Code"`
	Message            string `json:"Message"`
	AccessDeniedDetail string `json:"AccessDeniedDetail"`
}

var (
	signer   = signers.NewAccessKeySigner(credentials.NewAccessKeyCredential("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABC"))
	provider = credentials.NewStaticAKCredentialsProvider("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABC")
)

func signOnce() string {
	r := requests.NewCommonRequest()
	r.Method = "POST"
	r.Scheme = "https"
	r.Domain = "cams.ap-southeast-1.aliyuncs.com"
	r.Version = "2020-06-06"
	r.ApiName = "ChatappMigrationRegister"
	r.QueryParams["CustSpaceId"] = "29348393884"
	r.QueryParams["PhoneNumber"] = "8613800001234"
	r.TransToAcsRequest()
	if err := auth.Sign(r, signer, "ap-southeast-1", provider); err != nil {
		panic(err)
	}
	return r.BuildUrl()
}

func parseOnce() string {
	var resp chatappMigrationRegisterResponse
	if err := json.Unmarshal([]byte(seedAnswer), &resp); err != nil {
		panic(err)
	}
	return resp.Code
}

var sink int

func sliceUs(f func() int, slice time.Duration) float64 {
	start := time.Now()
	n := 0
	for time.Since(start) < slice {
		for i := 0; i < 256; i++ {
			sink += f()
		}
		n += 256
	}
	return float64(time.Since(start).Nanoseconds()) / 1e3 / float64(n)
}

func median(xs []float64) float64 {
	sort.Float64s(xs)
	return xs[len(xs)/2]
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/aliyun/alibaba-cloud-sdk-go" {
				return d.Version
			}
		}
	}
	return "?"
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "once" {
		fmt.Println(len(signOnce()))
		return
	}
	rounds, slice := 9, 200
	if len(os.Args) > 3 {
		rounds, _ = strconv.Atoi(os.Args[2])
		slice, _ = strconv.Atoi(os.Args[3])
	}
	contenders := []struct {
		metric, what string
		f            func() int
	}{
		{"official_sign_v1", "Go alibaba-cloud-sdk-go " + version() + " auth.Sign + BuildUrl (the aliyun CLI's signer; its own time+nonce)", func() int { return len(signOnce()) }},
		{"official_parse", "Go encoding/json into the answer's struct (as the Go SDK's clients do)", func() int { return len(parseOnce()) }},
	}
	times := make([][]float64, len(contenders))
	for round := 0; round <= rounds; round++ {
		for k, c := range contenders {
			us := sliceUs(c.f, time.Duration(slice)*time.Millisecond)
			if round > 0 {
				times[k] = append(times[k], us)
			}
		}
	}
	for k, c := range contenders {
		line, _ := json.Marshal(map[string]any{"host": "Rust", "metric": c.metric, "value": median(times[k]), "unit": "us", "what": c.what})
		fmt.Println(string(line))
	}
}
