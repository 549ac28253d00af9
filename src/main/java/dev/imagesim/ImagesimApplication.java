package dev.imagesim;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Entry point of the imagesim service. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ImagesimApplication {

    public static void main(String[] args) {
        SpringApplication.run(ImagesimApplication.class, args);
    }
}
