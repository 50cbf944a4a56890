#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

namespace periscope::broker {

// A failed fsync or fdatasync: unlike a failed write it may have lost data the kernel had
// already accepted, so whatever was written to that file can no longer be called durable.
class SyncError final : public std::system_error
{
public:
    using std::system_error::system_error;
};

// Thin POSIX helpers that throw std::system_error naming the file on failure.
int openFile(const std::filesystem::path &path, int flags);
void writeAll(int fd, const void *data, std::size_t size, const std::filesystem::path &path);
std::size_t readAt(int fd, void *data, std::size_t size, std::uint64_t offset);
std::uint64_t fileSize(int fd);
void truncateFile(int fd, std::uint64_t size, const std::filesystem::path &path);
void closeFile(int &fd);
// fdatasync; a failure is an I/O error, never ignored.
void syncFile(int fd, const std::filesystem::path &path);
// Makes the names created, renamed or removed in dir durable.
void syncDirectory(const std::filesystem::path &dir);
// Successful syncs (files and directories) since the process started.
std::uint64_t syncCount();

// Writes a small file atomically: temp file, fsync, rename, fsync of the directory.
void writeFileAtomically(const std::filesystem::path &path, const std::string &content);
std::string readSmallFile(const std::filesystem::path &path);

// Test hooks that make the file layer fail as a full or broken disk does.
namespace faults {
// The nth write from now (1 = the next) writes partialBytes of its data, then fails with
// error; later writes go through.
void failWrite(int nth, int error, std::size_t partialBytes = 0);
// The nth sync from now fails with error.
void failSync(int nth, int error);
void reset();
} // namespace faults

} // namespace periscope::broker
