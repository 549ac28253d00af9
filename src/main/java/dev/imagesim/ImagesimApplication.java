package dev.imagesim;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the imagesim service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ImagesimApplication {

    public static void main(String[] args) {
        SpringApplication.run(ImagesimApplication.class, args);
    }
}
