#include "browser/jsonhighlighter.h"

#include <QColor>
#include <QTextCharFormat>

namespace periscope::widgets {

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
    , m_token(QStringLiteral(
          R"("(?:[^"\\]|\\.)*"(\s*:)?|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\btrue\b|\bfalse\b|\bnull\b)"))
{}

void JsonHighlighter::setEnabled(bool enabled)
{
    if (m_enabled == enabled)
        return;
    m_enabled = enabled;
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    if (!m_enabled)
        return;
    // Colours that read on light and dark palettes alike.
    QTextCharFormat name, string, number, keyword;
    name.setForeground(QColor(0x1e, 0x88, 0xe5));
    string.setForeground(QColor(0x43, 0xa0, 0x47));
    number.setForeground(QColor(0xf4, 0x51, 0x1e));
    keyword.setForeground(QColor(0x8e, 0x24, 0xaa));
    auto it = m_token.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        const QChar first = m.captured(0).front();
        const QTextCharFormat &format = first == QLatin1Char('"')
                                            ? (m.capturedLength(1) > 0 ? name : string)
                                        : (first.isDigit() || first == QLatin1Char('-')) ? number
                                                                                         : keyword;
        setFormat(int(m.capturedStart(0)), int(m.capturedLength(0)), format);
    }
}

} // namespace periscope::widgets
