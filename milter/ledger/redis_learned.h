/*
 * redis_learned.h - placeholder
 */
