#pragma once

// A local port that refuses every connection for as long as this object lives: bound (so no
// other program can take it meanwhile) but never listening. Port 0 lets the kernel choose.

#include <QString>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace periscope::test {

class ClosedPort final
{
public:
    ClosedPort()
        : m_fd(::socket(AF_INET, SOCK_STREAM, 0))
    {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        socklen_t length = sizeof addr;
        if (m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 &&
            ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &length) == 0)
            m_port = ntohs(addr.sin_port);
    }
    ~ClosedPort()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    ClosedPort(const ClosedPort &) = delete;
    ClosedPort &operator=(const ClosedPort &) = delete;

    int port() const { return m_port; } // 0 when no port could be had
    QString bootstrap() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }

private:
    int m_fd;
    int m_port = 0;
};

} // namespace periscope::test
