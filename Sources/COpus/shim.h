#ifndef SIPTERM_COPUS_SHIM_H
#define SIPTERM_COPUS_SHIM_H

#include <opus.h>

/* opus_encoder_ctl is variadic, which Swift cannot call; these are the requests sipterm makes. */
static inline int copus_set_bitrate(OpusEncoder *encoder, opus_int32 bitrate) {
    return opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitrate));
}

static inline int copus_set_inband_fec(OpusEncoder *encoder, int on) {
    return opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(on));
}

static inline int copus_set_packet_loss_percent(OpusEncoder *encoder, int percent) {
    return opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(percent));
}

#endif
