#pragma once

#include <QStyle>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace periscope::widgets {

// A one-line banner under a pane or in a dialog: "Working…" while an admin request
// runs, then its outcome with the broker's message verbatim. Long local work (an import)
// shows how far it got and offers Cancel.
class ActionProgress final : public QWidget
{
    Q_OBJECT
public:
    enum class State { Idle, Busy, Succeeded, Failed };

    explicit ActionProgress(QWidget *parent = nullptr);

    void setBusy(const QString &text = QString());
    // Busy with a Cancel button; cancelRequested() when it is pressed.
    void setCancellableBusy(const QString &text);
    // done of total; total <= 0 shows an indeterminate bar.
    void setProgress(qint64 done, qint64 total);
    void setResult(bool ok, const QString &message);
    void clear();

    State state() const { return m_state; }
    QString text() const;

Q_SIGNALS:
    void cancelRequested();

private:
    void setIcon(QStyle::StandardPixmap pixmap);

    State m_state = State::Idle;
    QLabel *m_icon;
    QProgressBar *m_bar;
    QLabel *m_text;
    QPushButton *m_cancel;
    QToolButton *m_close;
};

} // namespace periscope::widgets
