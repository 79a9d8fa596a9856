"""Beyond classification: generated scenes with exact masks and boxes (``scenes``, lessons 13 and
14). The U-Net, IoU, boxes and average precision are written in the lessons that teach them."""
