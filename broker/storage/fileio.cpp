#include "fileio.h"

#include <algorithm>
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

[[noreturn]] void throwSyncError(const std::filesystem::path &path)
{
    throw SyncError(errno, std::generic_category(), "cannot sync " + path.string());
}

struct Faults
{
    int writeCountdown = 0;
    int writeError = 0;
    std::size_t partialBytes = 0;
    int syncCountdown = 0;
    int syncError = 0;
};
Faults g_faults;
std::uint64_t g_syncs = 0;

// True when the fault armed for this call fires (counting the call).
bool fires(int &countdown)
{
    return countdown > 0 && --countdown == 0;
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
    if (fires(g_faults.writeCountdown)) {
        const std::size_t part = std::min(size, g_faults.partialBytes);
        if (part > 0 && ::write(fd, p, part) < 0)
            fail("cannot write", path);
        errno = g_faults.writeError;
        fail("cannot write", path);
    }
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

void truncateFile(int fd, std::uint64_t size, const std::filesystem::path &path)
{
    if (::ftruncate(fd, static_cast<off_t>(size)) != 0)
        fail("cannot truncate", path);
}

void closeFile(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

void syncFile(int fd, const std::filesystem::path &path)
{
    if (fires(g_faults.syncCountdown)) {
        errno = g_faults.syncError;
        throwSyncError(path);
    }
    if (::fdatasync(fd) != 0)
        throwSyncError(path);
    ++g_syncs;
}

void syncDirectory(const std::filesystem::path &dir)
{
    int fd = openFile(dir, O_RDONLY | O_DIRECTORY);
    try {
        if (fires(g_faults.syncCountdown)) {
            errno = g_faults.syncError;
            throwSyncError(dir);
        }
        if (::fsync(fd) != 0)
            throwSyncError(dir);
    } catch (...) {
        closeFile(fd);
        throw;
    }
    closeFile(fd);
    ++g_syncs;
}

std::uint64_t syncCount()
{
    return g_syncs;
}

void writeFileAtomically(const std::filesystem::path &path, const std::string &content)
{
    auto tmp = path;
    tmp += ".tmp";
    int fd = openFile(tmp, O_WRONLY | O_CREAT | O_TRUNC);
    try {
        writeAll(fd, content.data(), content.size(), tmp);
        syncFile(fd, tmp);
    } catch (...) {
        closeFile(fd);
        throw;
    }
    closeFile(fd);
    std::filesystem::rename(tmp, path);
    syncDirectory(path.parent_path());
}

std::string readSmallFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

namespace faults {
void failWrite(int nth, int error, std::size_t partialBytes)
{
    g_faults.writeCountdown = nth;
    g_faults.writeError = error;
    g_faults.partialBytes = partialBytes;
}

void failSync(int nth, int error)
{
    g_faults.syncCountdown = nth;
    g_faults.syncError = error;
}

void reset()
{
    g_faults = {};
}
} // namespace faults

} // namespace periscope::broker
