#pragma once

#include <QStyle>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace periscope::widgets {

// A one-line banner under a pane or in a dialog: "Working…" while an admin request
// runs, then its outcome with the broker's message verbatim.
class ActionProgress final : public QWidget
{
    Q_OBJECT
public:
    enum class State { Idle, Busy, Succeeded, Failed };

    explicit ActionProgress(QWidget *parent = nullptr);

    void setBusy(const QString &text = QString());
    void setResult(bool ok, const QString &message);
    void clear();

    State state() const { return m_state; }
    QString text() const;

private:
    void setIcon(QStyle::StandardPixmap pixmap);

    State m_state = State::Idle;
    QLabel *m_icon;
    QProgressBar *m_bar;
    QLabel *m_text;
    QToolButton *m_close;
};

} // namespace periscope::widgets
