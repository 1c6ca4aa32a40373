package kb

import (
	"embed"
	"io/fs"
)

//go:embed demo
var demoFiles embed.FS

// Demo is a small help centre for a device-rental and consumer-lending
// business (categories.yaml and Markdown articles in zh-CN with zh-TW and
// en translations), used by huiliu demo, the tests, the bench and the bot.
func Demo() fs.FS {
	sub, err := fs.Sub(demoFiles, "demo")
	if err != nil {
		panic(err) // "demo" is embedded above
	}
	return sub
}
