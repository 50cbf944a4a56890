#include "fileio.h"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace periscope::broker {
namespace {
[[noreturn]] void fail(const std::string &what, const std::filesystem::path &path)
{
    throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}
} // namespace

int openFile(const std::filesystem::path &path, int flags)
{
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0)
        fail("cannot open", path);
    return fd;
}

void writeAll(int fd, const void *data, std::size_t size, const std::filesystem::path &path)
{
    const auto *p = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("cannot write", path);
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

std::size_t readAt(int fd, void *data, std::size_t size, std::uint64_t offset)
{
    std::size_t done = 0;
    auto *p = static_cast<char *>(data);
    while (done < size) {
        const ssize_t n = ::pread(fd, p + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

std::uint64_t fileSize(int fd)
{
    struct stat st
    {};
    if (::fstat(fd, &st) != 0)
        return 0;
    return static_cast<std::uint64_t>(st.st_size);
}

void closeFile(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

void writeFileAtomically(const std::filesystem::path &path, const std::string &content)
{
    auto tmp = path;
    tmp += ".tmp";
    int fd = openFile(tmp, O_WRONLY | O_CREAT | O_TRUNC);
    writeAll(fd, content.data(), content.size(), tmp);
    ::fsync(fd);
    closeFile(fd);
    std::filesystem::rename(tmp, path);
}

std::string readSmallFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace periscope::broker
