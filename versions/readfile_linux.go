package versions

import (
	"io/fs"
	"syscall"
)

// osReader reads revision files from folders on disk. On Linux it opens
// each folder once and each file relative to it (openat), then reads until
// end of file into a reused buffer: four system calls per file, where
// os.ReadFile makes six (it adds fstat and a poller registration),
// resolves the whole path and allocates a fresh buffer.
type osReader struct {
	fds []int // per folder; -1 when the folder could not be opened (plain paths then)
}

func newOSReader(dirs []string) *osReader {
	r := &osReader{fds: make([]int, len(dirs))}
	for i, dir := range dirs {
		fd, err := retry(func() (int, error) {
			return syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		})
		if err != nil {
			fd = -1
		}
		r.fds[i] = fd
	}
	return r
}

func (r *osReader) close() {
	for _, fd := range r.fds {
		if fd >= 0 {
			syscall.Close(fd)
		}
	}
}

func (r *osReader) read(f revFile, buf []byte) ([]byte, error) {
	fd, err := retry(func() (int, error) {
		if dfd := r.fds[f.dir]; dfd >= 0 {
			return syscall.Openat(dfd, f.name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		}
		return syscall.Open(f.path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: f.path, Err: err}
	}
	defer syscall.Close(fd)
	buf = buf[:0]
	if cap(buf) < 4096 {
		buf = make([]byte, 0, 4096)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, &fs.PathError{Op: "read", Path: f.path, Err: err}
		case n == 0:
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}

func retry(open func() (int, error)) (int, error) {
	for {
		fd, err := open()
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
