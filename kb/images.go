package kb

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"huiliu/desk"
	"huiliu/internal/filetype"
)

// Image is a picture an article shows, stored in SQL and served at
// ImageURL: to anyone when a public published article shows it
// (ShownPublicly), else to signed-in agents only, because a picture of an
// internal article (a screenshot of a back-office tool) is as internal as
// its text.
type Image struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	MIME      string    `json:"mime"`
	Size      int64     `json:"size"`
	Data      []byte    `json:"-"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// MaxImage bounds one picture.
const MaxImage = 5 << 20

// imagePath is where the help centre serves images; Markdown bodies link
// them as ![alt](/help/img/<id>).
const imagePath = "/help/img/"

// ImageURL is where the help centre serves an image.
func ImageURL(id string) string { return imagePath + id }

// imageRef finds the ids in image addresses of rendered HTML, relative or
// absolute (ids are lower-case desk ids, see SaveImage).
var imageRef = regexp.MustCompile(`src="[^"]*?` + regexp.QuoteMeta(imagePath) + `([a-z0-9_-]{1,64})"`)

// imageIDs lists the pictures rendered HTML shows.
func imageIDs(html string) []string {
	var out []string
	for _, m := range imageRef.FindAllStringSubmatch(html, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// ShownPublicly says whether a public, published article shows the
// picture, which is what lets the help centre serve it to anyone.
func (s *Service) ShownPublicly(imageID string) bool { return s.idx.showsPublicly(imageID) }

// ImageStore keeps the pictures; store.DB implements it.
type ImageStore interface {
	KBInsertImage(ctx context.Context, img Image) error
	KBImage(ctx context.Context, id string) (Image, error)
}

// SaveImage stores a picture for articles. Only JPEG, PNG, GIF and WebP
// judged by their bytes are taken (an SVG or an HTML page named .png is
// refused), up to MaxImage.
func (s *Service) SaveImage(ctx context.Context, actor desk.Actor, name string, data []byte) (Image, error) {
	if err := canWrite(actor); err != nil {
		return Image{}, err
	}
	if len(data) > MaxImage {
		return Image{}, desk.Errorf(desk.CodeTooLarge, "an image has at most %d MiB", MaxImage>>20)
	}
	typ := filetype.Sniff(data)
	if typ == "" {
		return Image{}, desk.Errorf(desk.CodeInvalid, "only JPEG, PNG, GIF and WebP images are accepted")
	}
	is, ok := s.store.(ImageStore)
	if !ok {
		return Image{}, desk.Errorf(desk.CodeUnavailable, "images are not stored here")
	}
	img := Image{ID: strings.ToLower(desk.NewID()), Name: cut(strings.TrimSpace(name), 200), MIME: typ,
		Size: int64(len(data)), Data: data, CreatedBy: actorID(actor), CreatedAt: s.now()}
	if err := is.KBInsertImage(ctx, img); err != nil {
		return Image{}, err
	}
	return img, nil
}

// Image returns a stored picture.
func (s *Service) Image(ctx context.Context, id string) (Image, error) {
	is, ok := s.store.(ImageStore)
	if !ok || !validID(id) {
		return Image{}, desk.Errorf(desk.CodeNotFound, "image not found")
	}
	img, err := is.KBImage(ctx, id)
	if err != nil {
		return Image{}, notFoundOr(err, "image")
	}
	return img, nil
}
