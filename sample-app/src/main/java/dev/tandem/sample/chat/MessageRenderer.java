package dev.tandem.sample.chat;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.ListCellRenderer;
import javax.swing.ListModel;
import javax.swing.SwingConstants;

/**
 * A message as a bubble: the user's own on the right in blue, others' on the left in grey with the
 * sender's name (once for consecutive messages), the time under the text, and "sending…" while the
 * server has not confirmed it.
 */
final class MessageRenderer implements ListCellRenderer<ChatMessage> {
  private static final int MAX_TEXT_WIDTH = 260;
  private static final Color MINE = new Color(0xD7, 0xE8, 0xFF);
  private static final Color THEIRS = new Color(0xEE, 0xEE, 0xEE);
  private static final Color NAME = new Color(0x1A, 0x4C, 0x9A);
  private static final Color META = new Color(0x80, 0x80, 0x80);

  private final String user;
  private final JPanel row = new JPanel(new BorderLayout());
  private final Bubble bubble = new Bubble();
  private final JLabel name = new JLabel();
  private final JLabel content = new JLabel();
  private final JLabel meta = new JLabel();

  MessageRenderer(String user) {
    this.user = user;
    name.setFont(name.getFont().deriveFont(Font.BOLD));
    name.setForeground(NAME);
    name.setBorder(BorderFactory.createEmptyBorder(0, 0, 2, 0));
    meta.setFont(meta.getFont().deriveFont(Font.PLAIN, meta.getFont().getSize2D() - 2));
    meta.setForeground(META);
    meta.setHorizontalAlignment(SwingConstants.RIGHT);
    meta.setBorder(BorderFactory.createEmptyBorder(2, 0, 0, 0));
    bubble.setLayout(new BorderLayout());
    bubble.setBorder(BorderFactory.createEmptyBorder(6, 10, 5, 10));
    bubble.add(name, BorderLayout.NORTH);
    bubble.add(content, BorderLayout.CENTER);
    bubble.add(meta, BorderLayout.SOUTH);
    row.setOpaque(true);
  }

  @Override
  public Component getListCellRendererComponent(
      JList<? extends ChatMessage> list,
      ChatMessage message,
      int index,
      boolean selected,
      boolean focused) {
    boolean mine = message.from().equals(user);
    ListModel<? extends ChatMessage> model = list.getModel();
    boolean sameSenderAsBefore =
        index > 0 && model.getElementAt(index - 1).from().equals(message.from());

    name.setText(message.from());
    name.setVisible(!mine && !sameSenderAsBefore);
    content.setText(html(message.content()));
    content.setForeground(message.pending() ? META : list.getForeground());
    meta.setText(
        MessageTime.format(message.sentMillis()) + (message.pending() ? " · sending…" : ""));
    bubble.color = mine ? MINE : THEIRS;

    row.removeAll();
    row.add(bubble, mine ? BorderLayout.EAST : BorderLayout.WEST);
    row.setBackground(list.getBackground());
    row.setBorder(
        BorderFactory.createEmptyBorder(
            sameSenderAsBefore ? 2 : 8, mine ? 60 : 10, 2, mine ? 10 : 60));
    return row;
  }

  /** The text as HTML, wrapped at {@link #MAX_TEXT_WIDTH} when it is longer than that. */
  private String html(String text) {
    String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    content.setText(text);
    boolean wide = content.getPreferredSize().width > MAX_TEXT_WIDTH;
    return wide
        ? "<html><div style='width:" + MAX_TEXT_WIDTH + "px'>" + escaped + "</div></html>"
        : "<html>" + escaped + "</html>";
  }

  /** A panel painted as a rounded rectangle. */
  private static final class Bubble extends JPanel {
    private static final long serialVersionUID = 1L;
    Color color = THEIRS;

    Bubble() {
      setOpaque(false);
    }

    @Override
    protected void paintComponent(Graphics g) {
      Graphics2D g2 = (Graphics2D) g.create();
      g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g2.setColor(color);
      g2.fillRoundRect(0, 0, getWidth(), getHeight(), 14, 14);
      g2.dispose();
    }
  }
}
